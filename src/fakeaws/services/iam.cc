// AWS IAM (awsQuery): the canaries' execution roles and their policies. The role of
// inventory-api-check lacks s3:PutObject, which is why that canary fails.
#include <boost/json/array.hpp>

#include "common/encoding.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

const SampleRole* find_role(const SampleAccount& a, const std::string& name) {
  for (const auto& r : a.roles)
    if (r.name == name) return &r;
  return nullptr;
}

const SamplePolicy* find_policy(const SampleAccount& a, const std::string& arn) {
  for (const auto& p : a.policies)
    if (p.arn == arn) return &p;
  return nullptr;
}

ApiError no_such_entity(const Call& call, const std::string& what) {
  return make_error(call.traits().not_found, what + " cannot be found.");
}

OpResult get_role(Call& call) {
  auto name = str_arg(call.input, "RoleName");
  const auto* r = find_role(call.account, name);
  if (!r) return no_such_entity(call, "The role with name " + name);
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
  return json::object{{"Role", json::object{{"Path", r->path},
                                             {"RoleName", r->name},
                                             {"RoleId", "AROA" + std::to_string(1000000000 + r->name.size() * 7919) + "FAKE"},
                                             {"Arn", "arn:aws:iam::" + call.account.account_id + ":role" + r->path + r->name},
                                             {"CreateDate", static_cast<double>(call.anchor() - 60 * 86400)},
                                             {"AssumeRolePolicyDocument", percent_encode(trust)},
                                             {"MaxSessionDuration", 3600}}}};
}

OpResult list_attached_role_policies(Call& call) {
  auto name = str_arg(call.input, "RoleName");
  const auto* r = find_role(call.account, name);
  if (!r) return no_such_entity(call, "The role with name " + name);
  auto p = paginate(call, r->policy_arns.size(), "Marker", "MaxItems", 100, 1000);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) {
    const auto* pol = find_policy(call.account, r->policy_arns[i]);
    list.push_back(json::object{{"PolicyName", pol ? pol->name : r->policy_arns[i]}, {"PolicyArn", r->policy_arns[i]}});
  }
  json::object out{{"AttachedPolicies", std::move(list)}, {"IsTruncated", page.next_token.has_value()}};
  if (page.next_token) out["Marker"] = *page.next_token;
  return out;
}

OpResult get_policy(Call& call) {
  auto arn = str_arg(call.input, "PolicyArn");
  const auto* p = find_policy(call.account, arn);
  if (!p) return no_such_entity(call, "Policy " + arn);
  bool aws_managed = arn.find(":aws:policy/") != std::string::npos;
  return json::object{{"Policy", json::object{{"PolicyName", p->name},
                                               {"PolicyId", "ANPA" + std::to_string(2000000000 + p->name.size() * 104729) + "FAKE"},
                                               {"Arn", p->arn},
                                               {"Path", aws_managed ? "/service-role/" : "/service-role/"},
                                               {"DefaultVersionId", aws_managed ? "v7" : "v1"},
                                               {"AttachmentCount", 1},
                                               {"IsAttachable", true},
                                               {"CreateDate", static_cast<double>(call.anchor() - 60 * 86400)},
                                               {"UpdateDate", static_cast<double>(call.anchor() - 60 * 86400)}}}};
}

OpResult get_policy_version(Call& call) {
  auto arn = str_arg(call.input, "PolicyArn");
  auto version = str_arg(call.input, "VersionId");
  const auto* p = find_policy(call.account, arn);
  bool aws_managed = arn.find(":aws:policy/") != std::string::npos;
  if (!p || version != (aws_managed ? "v7" : "v1")) return no_such_entity(call, "Policy " + arn + " version " + version);
  return json::object{{"PolicyVersion", json::object{{"Document", percent_encode(p->document)},
                                                     {"VersionId", version},
                                                     {"IsDefaultVersion", true},
                                                     {"CreateDate", static_cast<double>(call.anchor() - 60 * 86400)}}}};
}

constexpr OpEntry kOps[] = {
    {"GetRole", get_role},
    {"ListAttachedRolePolicies", list_attached_role_policies},
    {"GetPolicy", get_policy},
    {"GetPolicyVersion", get_policy_version},
};

}  // namespace

std::span<const OpEntry> iam_operations() { return kOps; }

}  // namespace appsignals::fakeaws
