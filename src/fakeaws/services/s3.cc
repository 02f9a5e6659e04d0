// Amazon S3 (restXml): ListObjectsV2 and GetObject over the canary artifact bucket.
#include <algorithm>
#include <set>

#include "common/encoding.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/canary_data.h"
#include "fakeaws/services/services.h"
#include "fakeaws/xml.h"

namespace appsignals::fakeaws {

namespace {

ApiError no_such_bucket(const std::string& bucket) {
  auto e = make_error({"NoSuchBucket", 404}, "The specified bucket does not exist");
  e.extra["BucketName"] = bucket;
  return e;
}

OpResult list_objects_v2(Call& call) {
  std::string bucket = str_arg(call.input, "Bucket");
  if (bucket != call.account.artifact_bucket) return no_such_bucket(bucket);
  std::string prefix = str_arg(call.input, "Prefix");
  std::string delimiter = str_arg(call.input, "Delimiter");
  std::string start_after = str_arg(call.input, "StartAfter");
  auto anchor = anchor_for(call, "ContinuationToken");
  auto objects = artifact_objects(call.account, anchor);
  std::sort(objects.begin(), objects.end(), [](const auto& x, const auto& y) { return x.key < y.key; });
  // Keys and common prefixes, in key order, as one list to page over.
  struct Entry {
    const S3ObjectData* object = nullptr;
    std::string common_prefix;
  };
  std::vector<Entry> entries;
  std::set<std::string> seen;
  for (const auto& o : objects) {
    if (o.key.rfind(prefix, 0) != 0 || (!start_after.empty() && o.key <= start_after)) continue;
    if (!delimiter.empty()) {
      auto d = o.key.find(delimiter, prefix.size());
      if (d != std::string::npos) {
        auto cp = o.key.substr(0, d + delimiter.size());
        if (seen.insert(cp).second) entries.push_back({nullptr, cp});
        continue;
      }
    }
    entries.push_back({&o, {}});
  }
  auto p = paginate(call, entries.size(), "ContinuationToken", "MaxKeys", 1000, 1000);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  body += "<Name>" + xml_escape(bucket) + "</Name><Prefix>" + xml_escape(prefix) + "</Prefix>";
  body += "<KeyCount>" + std::to_string(page.end - page.begin) + "</KeyCount>";
  body += "<MaxKeys>" + std::to_string(int_arg(call.input, "MaxKeys", 1000)) + "</MaxKeys>";
  if (!delimiter.empty()) body += "<Delimiter>" + xml_escape(delimiter) + "</Delimiter>";
  body += std::string("<IsTruncated>") + (page.next_token ? "true" : "false") + "</IsTruncated>";
  if (auto t = str_arg(call.input, "ContinuationToken"); !t.empty())
    body += "<ContinuationToken>" + xml_escape(t) + "</ContinuationToken>";
  if (page.next_token) body += "<NextContinuationToken>" + xml_escape(*page.next_token) + "</NextContinuationToken>";
  if (!start_after.empty()) body += "<StartAfter>" + xml_escape(start_after) + "</StartAfter>";
  for (std::size_t i = page.begin; i < page.end; ++i) {
    const auto& e = entries[i];
    if (e.object) {
      body += "<Contents><Key>" + xml_escape(e.object->key) + "</Key><LastModified>" +
              rfc3339(static_cast<double>(e.object->last_modified)) + "</LastModified><ETag>&quot;" +
              std::to_string(e.object->body.size()) + "e7a1" + "&quot;</ETag><Size>" +
              std::to_string(e.object->body.size()) + "</Size><StorageClass>STANDARD</StorageClass></Contents>";
    } else {
      body += "<CommonPrefixes><Prefix>" + xml_escape(e.common_prefix) + "</Prefix></CommonPrefixes>";
    }
  }
  body += "</ListBucketResult>";
  return RawReply{200, std::move(body), "application/xml", {}};
}

OpResult get_object(Call& call) {
  std::string bucket = str_arg(call.input, "Bucket");
  if (bucket != call.account.artifact_bucket) return no_such_bucket(bucket);
  std::string key = str_arg(call.input, "Key");
  for (const auto& o : artifact_objects(call.account, call.anchor())) {
    if (o.key != key) continue;
    RawReply r{200, o.body, o.content_type, {}};
    r.headers.emplace_back("Last-Modified", rfc3339(static_cast<double>(o.last_modified)));
    r.headers.emplace_back("ETag", "\"" + std::to_string(o.body.size()) + "e7a1\"");
    // Range: bytes=a-b (bounded reads of large artifacts).
    if (auto range = call.request.header("Range"); range.starts_with("bytes=")) {
      auto dash = range.find('-');
      std::size_t from = static_cast<std::size_t>(std::atoll(std::string(range.substr(6, dash - 6)).c_str()));
      std::size_t to = dash + 1 < range.size() ? static_cast<std::size_t>(std::atoll(std::string(range.substr(dash + 1)).c_str()))
                                                : o.body.size() - 1;
      if (from < o.body.size()) {
        to = std::min(to, o.body.size() - 1);
        r.status = 206;
        r.body = o.body.substr(from, to - from + 1);
        r.headers.emplace_back("Content-Range", "bytes " + std::to_string(from) + "-" + std::to_string(to) + "/" +
                                                    std::to_string(o.body.size()));
      }
    }
    return r;
  }
  auto e = make_error(call.traits().not_found, "The specified key does not exist.");
  e.extra["Key"] = key;
  return e;
}

constexpr OpEntry kOps[] = {
    {"ListObjectsV2", list_objects_v2},
    {"GetObject", get_object},
};

}  // namespace

std::span<const OpEntry> s3_operations() { return kOps; }

}  // namespace appsignals::fakeaws
