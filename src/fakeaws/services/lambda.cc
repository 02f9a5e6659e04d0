// AWS Lambda (restJson1): GetFunction for the canaries' functions and order-processor. The
// Lambda model is not in the shared models folder, so the one operation's model (from the
// public API reference: GET /2015-03-31/functions/{FunctionName}) is carried here.
#include "fakeaws/sample_account.h"
#include "fakeaws/services/canary_data.h"
#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

const char* lambda_model_json() {
  return R"({"metadata":{"apiVersion":"2015-03-31","endpointPrefix":"lambda","protocol":"rest-json",
"protocols":["rest-json"],"serviceId":"Lambda","signatureVersion":"v4","signingName":"lambda"},
"operations":{"GetFunction":{"name":"GetFunction","http":{"method":"GET","requestUri":"/2015-03-31/functions/{FunctionName}","responseCode":200},
"input":{"shape":"GetFunctionRequest"},"output":{"shape":"GetFunctionResponse"}}},
"shapes":{"GetFunctionRequest":{"type":"structure","required":["FunctionName"],"members":{
"FunctionName":{"shape":"NamespacedFunctionName","location":"uri","locationName":"FunctionName"},
"Qualifier":{"shape":"Qualifier","location":"querystring","locationName":"Qualifier"}}},
"NamespacedFunctionName":{"type":"string","max":170,"min":1},
"Qualifier":{"type":"string","max":128,"min":1},
"GetFunctionResponse":{"type":"structure","members":{"Configuration":{"shape":"FunctionConfiguration"}}},
"FunctionConfiguration":{"type":"structure","members":{}}}})";
}

namespace {

OpResult get_function(Call& call) {
  std::string name = str_arg(call.input, "FunctionName");
  if (auto colon = name.rfind(":function:"); colon != std::string::npos) name = name.substr(colon + 10);
  if (auto colon = name.find(':'); colon != std::string::npos) name = name.substr(0, colon);
  const auto& a = call.account;
  std::string role, runtime = "python3.12", handler = "app.handler", layer;
  bool found = false;
  for (const auto& c : a.canaries) {
    if (canary_function_name(c) != name) continue;
    found = true;
    role = "arn:aws:iam::" + a.account_id + ":role/service-role/" + c.role_name;
    runtime = c.runtime.find("nodejs") != std::string::npos ? "nodejs20.x" : "python3.11";
    handler = c.handler;
    layer = "arn:aws:lambda:" + a.region + ":" + a.account_id + ":layer:cwsyn-" + c.name + ":3";
  }
  if (name == "order-processor") {
    found = true;
    role = "arn:aws:iam::" + a.account_id + ":role/order-processor-role";
  }
  if (!found)
    return make_error(call.traits().not_found, "Function not found: arn:aws:lambda:" + a.region + ":" + a.account_id +
                                                   ":function:" + name);
  std::string arn = "arn:aws:lambda:" + a.region + ":" + a.account_id + ":function:" + name;
  json::object config{{"FunctionName", name},
                      {"FunctionArn", arn},
                      {"Runtime", runtime},
                      {"Role", role},
                      {"Handler", handler},
                      {"CodeSize", 48213},
                      {"Timeout", 60},
                      {"MemorySize", 1536},
                      {"LastModified", rfc3339(static_cast<double>(call.anchor() - 3 * 86400))},
                      {"Version", "$LATEST"},
                      {"State", "Active"},
                      {"PackageType", "Zip"},
                      {"Architectures", json::array{"x86_64"}},
                      {"LoggingConfig", json::object{{"LogFormat", "Text"}, {"LogGroup", "/aws/lambda/" + name}}}};
  if (!layer.empty())
    config["Layers"] = json::array{json::object{{"Arn", layer}, {"CodeSize", 5120}}};
  return json::object{
      {"Configuration", std::move(config)},
      {"Code", json::object{{"RepositoryType", "S3"},
                            {"Location", "https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/" +
                                             a.account_id + "/" + name + "?X-Amz-Expires=600"}}},
      {"Tags", json::object{{"app", "shop"}}}};
}

constexpr OpEntry kOps[] = {{"GetFunction", get_function}};

}  // namespace

std::span<const OpEntry> lambda_operations() { return kOps; }

}  // namespace appsignals::fakeaws
