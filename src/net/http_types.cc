#include "net/http_types.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace appsignals::net {

std::string_view Request::path() const {
  std::string_view target(message.target().data(), message.target().size());
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string_view Request::query() const {
  std::string_view target(message.target().data(), message.target().size());
  auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

std::string_view Request::header(std::string_view name) const {
  auto it = message.find(name);
  if (it == message.end()) return {};
  return std::string_view(it->value().data(), it->value().size());
}

Response json_response(http::status status, std::string body, unsigned version) {
  Response res{status, version};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

Response error_response(http::status status, std::string_view message, unsigned version) {
  boost::json::object o;
  o["error"] = message;
  return json_response(status, boost::json::serialize(o), version);
}

}  // namespace appsignals::net
