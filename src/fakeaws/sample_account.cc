#include "fakeaws/sample_account.h"

namespace appsignals::fakeaws {

namespace {

constexpr std::string_view kEks = "eks:petclinic/default";
constexpr std::string_view kEcs = "ecs:shop-cluster";
constexpr std::string_view kEc2 = "ec2:default";
constexpr std::string_view kLambda = "lambda:default";

SampleService service(std::string name, std::string_view env, std::string platform, std::string lang,
                      std::string team, std::string business_unit) {
  SampleService s;
  s.name = std::move(name);
  s.environment = std::string(env);
  s.platform = std::move(platform);
  s.language = std::move(lang);
  s.groups["Team"] = std::move(team);
  s.groups["BusinessUnit"] = std::move(business_unit);
  return s;
}

SampleDependency dep_service(std::string op, std::string name, std::string_view env, std::string remote_op) {
  return {std::move(op), "Service", std::move(name), std::string(env), "", std::move(remote_op)};
}

SampleDependency dep_resource(std::string op, std::string id, std::string type, std::string remote_op) {
  return {std::move(op), "AWS::Resource", std::move(id), "", std::move(type), std::move(remote_op)};
}

SampleAccount build() {
  SampleAccount a;
  a.artifact_bucket = "cw-syn-results-" + a.account_id + "-" + a.region;

  // ---- EKS: the pet clinic ----
  auto frontend = service("frontend", kEks, "AWS::EKS", "java", "web", "petclinic");
  frontend.operations = {{"GET /", 35, 240, 0.0005, 0.002},
                         {"GET /owners", 60, 120, 0.001, 0.004},
                         {"POST /owners", 80, 20, 0.001, 0.02},
                         {"GET /vets", 45, 60, 0.0005, 0.001}};
  frontend.dependencies = {dep_service("GET /owners", "customers", kEks, "GET /api/customer/owners"),
                           dep_service("GET /vets", "vets", kEks, "GET /api/vet/vets"),
                           dep_service("POST /owners", "visits", kEks, "POST /api/visit/owners/{ownerId}/pets/{petId}/visits")};
  auto customers = service("customers", kEks, "AWS::EKS", "java", "clinic", "petclinic");
  customers.operations = {{"GET /api/customer/owners", 25, 120, 0.0005, 0.003},
                          {"GET /api/customer/owners/{ownerId}", 18, 200, 0.0005, 0.01},
                          {"POST /api/customer/owners", 40, 20, 0.001, 0.02}};
  customers.dependencies = {dep_resource("GET /api/customer/owners", "customers-db", "AWS::RDS::DBInstance", "SELECT")};
  auto vets = service("vets", kEks, "AWS::EKS", "java", "clinic", "petclinic");
  vets.operations = {{"GET /api/vet/vets", 15, 60, 0.0002, 0.001}};
  auto visits = service("visits", kEks, "AWS::EKS", "python", "clinic", "petclinic");
  visits.operations = {{"GET /api/visit/owners/{ownerId}/pets/visits", 30, 90, 0.0005, 0.004},
                       {"POST /api/visit/owners/{ownerId}/pets/{petId}/visits", 55, 20, 0.001, 0.01}};
  visits.dependencies = {dep_resource("POST /api/visit/owners/{ownerId}/pets/{petId}/visits", "visits-table",
                                      "AWS::DynamoDB::Table", "PutItem")};
  auto billing = service("billing", kEks, "AWS::EKS", "python", "payments", "commerce");
  billing.operations = {{"POST /api/billing/invoices", 70, 15, 0.001, 0.01},
                        {"GET /api/billing/invoices/{id}", 25, 40, 0.0005, 0.01}};
  billing.dependencies = {dep_resource("POST /api/billing/invoices", "billing-events", "AWS::SQS::Queue", "SendMessage")};

  // ---- ECS: the shop ----
  auto checkout = service("checkout", kEcs, "AWS::ECS", "nodejs", "shop", "commerce");
  checkout.operations = {{"POST /checkout", 180, 45, 0.001, 0.01},
                         {"GET /cart", 40, 150, 0.0005, 0.005},
                         {"POST /cart/items", 55, 80, 0.0005, 0.02}};
  checkout.dependencies = {dep_service("POST /checkout", "payments", kEcs, "POST /payments/charge"),
                           dep_service("POST /checkout", "inventory", kEcs, "POST /inventory/reserve"),
                           dep_resource("POST /cart/items", "cart-sessions", "AWS::DynamoDB::Table", "UpdateItem")};
  auto payments = service("payments", kEcs, "AWS::ECS", "java", "payments", "commerce");
  payments.operations = {{"POST /payments/charge", 120, 45, 0.0008, 0.006},
                         {"POST /payments/refund", 110, 3, 0.001, 0.01},
                         {"GET /payments/{id}", 20, 30, 0.0005, 0.01}};
  payments.dependencies = {dep_resource("POST /payments/charge", "payments-ledger", "AWS::DynamoDB::Table", "PutItem"),
                           dep_resource("POST /payments/charge", "payment-events", "AWS::SQS::Queue", "SendMessage"),
                           dep_service("POST /payments/charge", "billing", kEks, "POST /api/billing/invoices")};
  auto inventory = service("inventory", kEcs, "AWS::ECS", "python", "shop", "commerce");
  inventory.operations = {{"POST /inventory/reserve", 35, 45, 0.0005, 0.01},
                          {"GET /inventory/items/{sku}", 12, 300, 0.0002, 0.003}};
  inventory.dependencies = {dep_resource("POST /inventory/reserve", "inventory-items", "AWS::DynamoDB::Table", "UpdateItem")};
  auto search = service("search", kEcs, "AWS::ECS", "python", "shop", "commerce");
  search.operations = {{"GET /search", 95, 200, 0.001, 0.004}, {"GET /search/suggest", 25, 400, 0.0005, 0.002}};

  // ---- EC2 ----
  auto notifications = service("notifications", kEc2, "AWS::EC2", "dotnet", "platform", "shared");
  notifications.operations = {{"POST /notify/email", 140, 20, 0.002, 0.01}, {"POST /notify/sms", 160, 5, 0.002, 0.01}};
  notifications.dependencies = {dep_resource("POST /notify/email", "notification-queue", "AWS::SQS::Queue", "ReceiveMessage")};
  notifications.platform_attributes = {{"EC2.InstanceId", "i-0a1b2c3d4e5f67890"}, {"EC2.AutoScalingGroup", "notifications-asg"}};
  auto recommendations = service("recommendations", kEc2, "AWS::EC2", "python", "shop", "commerce");
  recommendations.operations = {{"GET /recommendations", 210, 30, 0.002, 0.004}};
  recommendations.last_seen_offset = 36 * 3600;  // retired a day and a half ago

  // ---- Lambda ----
  auto orders = service("order-processor", kLambda, "AWS::Lambda", "python", "shop", "commerce");
  orders.operations = {{"order-processor/FunctionHandler", 320, 12, 0.002, 0.001}};
  orders.dependencies = {dep_resource("order-processor/FunctionHandler", "orders", "AWS::DynamoDB::Table", "PutItem"),
                         dep_resource("order-processor/FunctionHandler", "payment-events", "AWS::SQS::Queue", "ReceiveMessage")};
  orders.platform_attributes = {{"Lambda.Function.Name", "order-processor"}};

  // ---- uninstrumented ----
  auto reports = service("legacy-reports", kEc2, "AWS::EC2", "", "platform", "shared");
  reports.instrumented = false;
  reports.instrumentation_type = "UNINSTRUMENTED";
  reports.operations = {{"GET /reports/daily", 900, 2, 0.01, 0.01}};
  auto archiver = service("image-archiver", kLambda, "AWS::Lambda", "", "platform", "shared");
  archiver.instrumented = false;
  archiver.instrumentation_type = "AWS_NATIVE";
  archiver.operations = {{"Invoke", 450, 4, 0.001, 0.0}};

  for (auto* s : {&frontend, &customers, &vets, &visits, &billing})
    s->platform_attributes.insert({{"EKS.Cluster", "petclinic"}, {"K8s.Namespace", "default"},
                                   {"K8s.Workload", s->name}});
  for (auto* s : {&checkout, &payments, &inventory, &search})
    s->platform_attributes.insert({{"ECS.Cluster", "shop-cluster"}, {"ECS.Service", s->name}});
  frontend.canaries = {"petclinic-home"};
  checkout.canaries = {"checkout-flow"};
  inventory.canaries = {"inventory-api-check"};
  a.services = {frontend, customers, vets, visits, billing, checkout, payments, inventory,
                search, notifications, recommendations, orders, reports, archiver};

  // ---- SLOs ----
  a.slos = {
      {"payments-charge-availability", "Charges succeed for 99.9% of requests", "payments",
       "POST /payments/charge", "AVAILABILITY", "RequestBased", 0, "GreaterThanOrEqualTo", 99.9, 30,
       "BREACHED", 98.71, 40 * 86400},
      {"checkout-latency-p99", "99% of checkouts complete in under 1.5 s", "checkout", "POST /checkout",
       "LATENCY", "PeriodBased", 1500, "LessThan", 99.0, 30, "WARNING", 99.18, 30 * 86400},
      {"frontend-availability", "The storefront answers", "frontend", "", "AVAILABILITY", "PeriodBased",
       99.5, "GreaterThanOrEqualTo", 99.5, 30, "OK", 99.97, 60 * 86400},
      {"visits-latency", "Visit lookups are fast", "visits", "GET /api/visit/owners/{ownerId}/pets/visits",
       "LATENCY", "PeriodBased", 300, "LessThan", 99.5, 30, "OK", 99.99, 20 * 86400},
      {"customers-owner-availability", "Owner lookups succeed", "customers", "GET /api/customer/owners/{ownerId}",
       "AVAILABILITY", "RequestBased", 0, "GreaterThanOrEqualTo", 99.9, 30, "OK", 99.96, 50 * 86400},
      {"inventory-reserve-availability", "Reservations succeed", "inventory", "POST /inventory/reserve",
       "AVAILABILITY", "RequestBased", 0, "GreaterThanOrEqualTo", 99.5, 30, "OK", 99.93, 45 * 86400},
  };

  // ---- grouping attribute definitions ----
  a.groupings = {{"Team", "TAG", {"team", "aws:team"}, "unassigned"},
                 {"BusinessUnit", "OTEL", {"business.unit"}, "shared"}};

  // ---- canaries, roles, policies ----
  std::string prefix = a.artifact_bucket + "/canary/" + a.region + "/";
  a.canaries = {
      {"petclinic-home", "syn-nodejs-puppeteer-9.1", "rate(5 minutes)", "pageLoadBlueprint.handler",
       "CloudWatchSyntheticsRole-petclinic-home", prefix + "petclinic-home", "https://petclinic.example.com/", 0,
       "", ""},
      {"checkout-flow", "syn-nodejs-puppeteer-9.1", "rate(5 minutes)", "checkoutFlow.handler",
       "CloudWatchSyntheticsRole-checkout-flow", prefix + "checkout-flow", "https://shop.example.com/checkout", 3,
       "Navigation timeout of 30000 ms exceeded", "navigation_timeout"},
      {"inventory-api-check", "syn-python-selenium-5.1", "rate(10 minutes)", "apiCheck.handler",
       "CloudWatchSyntheticsRole-inventory-api-check", prefix + "inventory-api-check",
       "https://shop.example.com/inventory/items/SKU-1001", 6,
       "Access Denied: User: arn:aws:sts::123456789012:assumed-role/CloudWatchSyntheticsRole-inventory-api-check/"
       "cwsyn-inventory-api-check is not authorized to perform: s3:PutObject on resource: "
       "arn:aws:s3:::" + a.artifact_bucket + "/canary/us-east-1/inventory-api-check/ because no identity-based "
       "policy allows the s3:PutObject action",
       "permissions"},
  };
  std::string pol = "arn:aws:iam::" + a.account_id + ":policy/service-role/";
  a.policies = {
      {pol + "CloudWatchSyntheticsPolicy-petclinic-home", "CloudWatchSyntheticsPolicy-petclinic-home",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject","s3:GetBucketLocation","s3:ListAllMyBuckets"],"Resource":["arn:aws:s3:::cw-syn-results-*"]},{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:CreateLogGroup"],"Resource":["arn:aws:logs:*:*:log-group:/aws/lambda/cwsyn-*"]},{"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"CloudWatchSynthetics"}}}]})"},
      {pol + "CloudWatchSyntheticsPolicy-checkout-flow", "CloudWatchSyntheticsPolicy-checkout-flow",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject","s3:GetBucketLocation","s3:ListAllMyBuckets"],"Resource":["arn:aws:s3:::cw-syn-results-*"]},{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:CreateLogGroup"],"Resource":["arn:aws:logs:*:*:log-group:/aws/lambda/cwsyn-*"]},{"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"CloudWatchSynthetics"}}}]})"},
      {pol + "CloudWatchSyntheticsPolicy-inventory-api-check", "CloudWatchSyntheticsPolicy-inventory-api-check",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:GetBucketLocation","s3:ListAllMyBuckets"],"Resource":["arn:aws:s3:::cw-syn-results-*"]},{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:CreateLogGroup"],"Resource":["arn:aws:logs:*:*:log-group:/aws/lambda/cwsyn-*"]},{"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"CloudWatchSynthetics"}}}]})"},
      {"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]})"},
  };
  for (const auto& c : a.canaries)
    a.roles.push_back({c.role_name, "/service-role/",
                       {pol + "CloudWatchSyntheticsPolicy-" + c.name,
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}});
  a.roles.push_back({"order-processor-role", "/", {"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}});
  return a;
}

}  // namespace

const SampleService* SampleAccount::find_service(std::string_view name, std::string_view environment) const {
  for (const auto& s : services)
    if (s.name == name && (environment.empty() || s.environment == environment)) return &s;
  return nullptr;
}

std::string SampleAccount::slo_arn(const SampleSlo& slo) const {
  return "arn:aws:application-signals:" + region + ":" + account_id + ":slo/" + slo.name;
}

const SampleSlo* SampleAccount::find_slo(std::string_view id) const {
  for (const auto& s : slos)
    if (s.name == id || slo_arn(s) == id) return &s;
  return nullptr;
}

const SampleCanary* SampleAccount::find_canary(std::string_view name) const {
  for (const auto& c : canaries)
    if (c.name == name) return &c;
  return nullptr;
}

const SampleGrouping* SampleAccount::find_grouping(std::string_view name) const {
  for (const auto& g : groupings)
    if (g.name == name) return &g;
  return nullptr;
}

const SampleAccount& sample_account() {
  static const SampleAccount kAccount = build();
  return kAccount;
}

}  // namespace appsignals::fakeaws
