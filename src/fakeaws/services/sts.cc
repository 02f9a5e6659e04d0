// AWS STS (awsQuery): GetCallerIdentity and AssumeRole. AssumeRole issues temporary
// credentials that the fake then accepts (with their session token) until reset.
#include "common/random.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

OpResult get_caller_identity(Call& call) {
  return json::object{{"UserId", "AIDAFAKEAWSDEMOUSER01"},
                      {"Account", call.account.account_id},
                      {"Arn", "arn:aws:iam::" + call.account.account_id + ":user/demo"}};
}

OpResult assume_role(Call& call) {
  auto role_arn = str_arg(call.input, "RoleArn");
  auto session = str_arg(call.input, "RoleSessionName");
  auto duration = int_arg(call.input, "DurationSeconds", 3600);
  auto slash = role_arn.rfind('/');
  if (role_arn.rfind("arn:aws:iam::", 0) != 0 || slash == std::string::npos)
    return make_error(call.traits().validation, "RoleArn is not a valid role ARN: " + role_arn);
  std::string akid = "ASIAFAKE" + random_hex(6);
  for (auto& c : akid) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string secret = random_hex(20);
  std::string token = "FakeAwsSessionToken/" + random_hex(24);
  {
    std::lock_guard lock(call.state.mu);
    call.state.issued_credentials[akid] = {secret, token};
  }
  auto expires = std::chrono::duration_cast<std::chrono::seconds>(call.now.time_since_epoch()).count() + duration;
  std::string role_name = role_arn.substr(slash + 1);
  return json::object{
      {"Credentials", json::object{{"AccessKeyId", akid}, {"SecretAccessKey", secret}, {"SessionToken", token},
                                   {"Expiration", static_cast<double>(expires)}}},
      {"AssumedRoleUser", json::object{{"AssumedRoleId", "AROAFAKEAWSROLE:" + session},
                                       {"Arn", "arn:aws:sts::" + call.account.account_id + ":assumed-role/" + role_name + "/" + session}}},
      {"PackedPolicySize", 0}};
}

constexpr OpEntry kOps[] = {
    {"GetCallerIdentity", get_caller_identity},
    {"AssumeRole", assume_role},
};

}  // namespace

std::span<const OpEntry> sts_operations() { return kOps; }

}  // namespace appsignals::fakeaws
