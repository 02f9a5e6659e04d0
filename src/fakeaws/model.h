#pragma once
// The official service models the fake validates against and routes by: one ServiceModel per
// service (trimmed to the implemented operations, see model_trim.h), loaded either from the
// tables compiled into the binary or from a botocore-layout directory.
//
// Thread safety: immutable after loading; share freely.
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"

namespace appsignals::fakeaws {

enum class Protocol { kRestJson, kJson, kQuery, kRestXml };

struct EmbeddedModel {
  const char* endpoint_prefix;
  const char* json;
};
// Defined in the generated embedded_models.cc.
std::span<const EmbeddedModel> embedded_models();

struct ServiceModel {
  std::string endpoint_prefix;  // "monitoring", "logs", "application-signals", ...
  std::string signing_name;     // SigV4 service name
  Protocol protocol = Protocol::kRestJson;
  bool accepts_query = false;     // CloudWatch: the legacy awsQuery form is accepted too
  bool query_compatible = false;  // CloudWatch: x-amzn-query-error on JSON errors
  std::string json_version;       // "1.0" / "1.1" for the JSON protocols
  std::string target_prefix;      // X-Amz-Target prefix
  std::string api_version;
  std::string xml_namespace;
  std::string shape_namespace;    // "com.amazonaws.cloudwatch" for absolute __type names
  boost::json::object operations;
  boost::json::object shapes;

  const boost::json::object* operation(std::string_view name) const;
  const boost::json::object* shape(std::string_view name) const;
  // The shape name an operation's input/output refers to, or empty.
  std::string input_shape(std::string_view op) const;
  std::string output_shape(std::string_view op) const;

  struct RestMatch {
    std::string operation;
    std::map<std::string, std::string> labels;  // decoded {Label} values
  };
  // REST protocols: the operation whose method and requestUri match (literal query members of
  // the requestUri, like S3's "?list-type=2", must be present).
  std::optional<RestMatch> match_rest(std::string_view method, std::string_view path,
                                      std::string_view query) const;
};

Result<ServiceModel> parse_service_model(const boost::json::object& model);

class ModelSet {
 public:
  // From the compiled-in tables (always available).
  static Result<ModelSet> load_embedded();
  // From <dir>/<service>/service-2.json (botocore layout), trimmed the same way.
  static Result<ModelSet> load_directory(const std::string& dir);

  // By SigV4 signing name ("monitoring", "lambda", ...); nullptr if unknown.
  const ServiceModel* find(std::string_view signing_name) const;
  const std::vector<std::shared_ptr<const ServiceModel>>& all() const { return models_; }

 private:
  void add(ServiceModel m);
  std::vector<std::shared_ptr<const ServiceModel>> models_;
};

}  // namespace appsignals::fakeaws
