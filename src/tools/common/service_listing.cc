#include "tools/common/service_listing.h"

namespace appsignals::tools {

boost::asio::awaitable<Result<ServiceSummaries>> list_service_summaries(std::shared_ptr<const aws::AwsClients> clients,
                                                                        std::int64_t start, std::int64_t end) {
  boost::json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["MaxResults"] = 100;
  int max_pages = kMaxServicePages;
  auto page = co_await clients->application_signals.paginate(aws::ops::kListServices, input, max_pages);
  if (!page) co_return std::move(page).error();
  ServiceSummaries out;
  out.services.reserve(page->items.size());
  for (auto& item : page->items)
    if (item.is_object()) out.services.push_back(std::move(item.get_object()));
  out.truncated = !page->next_token.empty();
  co_return out;
}

}  // namespace appsignals::tools
