#include "fakeaws/services/traces_data.h"

#include <cstdio>
#include <optional>

#include "fakeaws/call.h"
#include "fakeaws/metrics_model.h"

namespace appsignals::fakeaws {

namespace {

constexpr std::int64_t kStep = 120;

std::string hex_of(std::uint64_t seed, std::string_view key, std::int64_t n, int digits) {
  std::string out;
  for (int i = 0; out.size() < static_cast<std::size_t>(digits); ++i) {
    char buf[20];
    auto v = static_cast<std::uint64_t>(unit_noise(seed, key, n * 31 + i) * 4294967296.0);
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(v));
    out += buf;
  }
  return out.substr(0, static_cast<std::size_t>(digits));
}

struct Entry {
  const char* service;
  const char* operation;
};
constexpr Entry kEntries[] = {{"frontend", "GET /owners"}, {"checkout", "POST /checkout"},
                              {"search", "GET /search"},   {"frontend", "GET /vets"},
                              {"checkout", "GET /cart"},   {"visits", "GET /api/visit/owners/{ownerId}/pets/visits"},
                              {"inventory", "GET /inventory/items/{sku}"}, {"order-processor", "order-processor/FunctionHandler"}};

std::string code_function(const SampleService& s, const std::string& op) {
  std::string base = op.substr(op.find(' ') + 1);
  std::string fn;
  for (char c : base)
    if (std::isalnum(static_cast<unsigned char>(c))) fn += c;
  if (s.language == "java") return "com.example." + s.name + ".web." + s.name + "Controller.handle" + fn;
  if (s.language == "python") return s.name + ".handlers." + "handle_" + fn;
  if (s.language == "nodejs") return s.name + "/routes.handle" + fn;
  return s.name + ".Handlers.Handle" + fn;
}

std::string code_file(const SampleService& s) {
  if (s.language == "java") return "src/main/java/com/example/" + s.name + "/web/Controller.java";
  if (s.language == "python") return s.name + "/handlers.py";
  if (s.language == "nodejs") return "src/routes/" + s.name + ".js";
  return "src/" + s.name + "/Handlers.cs";
}

// The trace of the slot starting at t0 (a multiple of kStep).
SampleTrace make_trace(const SampleAccount& a, std::int64_t anchor, std::uint64_t seed, std::int64_t t0) {
  std::int64_t k = t0 / kStep;
  double start = static_cast<double>(t0) + unit_noise(seed, "trace-start", t0) * 100.0;
  bool in_incident = t0 >= anchor - SampleAccount::kIncidentStart && t0 < anchor - SampleAccount::kIncidentEnd;
  const Entry& e = in_incident && (k % 4 != 0) ? kEntries[1] : kEntries[static_cast<std::size_t>(t0 / kStep) % std::size(kEntries)];
  const SampleService* svc = a.find_service(e.service);
  SampleTrace tr;
  char epoch[16];
  std::snprintf(epoch, sizeof epoch, "%08llx", static_cast<unsigned long long>(static_cast<std::int64_t>(start)));
  tr.id = std::string("1-") + epoch + "-" + hex_of(seed, "trace-id", t0, 24);
  tr.start = start;
  const SampleOperation* op = nullptr;
  for (const auto& o : svc->operations)
    if (o.name == e.operation) op = &o;
  double intensity = op ? incident_intensity(*svc, *op, t0 - t0 % 60, anchor) : 0;
  bool faulty = intensity > 0.3;
  double lat = (op ? op->latency_ms : 50) * (0.7 + 0.6 * unit_noise(seed, "trace-lat", t0)) / 1000.0;
  if (faulty) lat *= 8;

  SampleSpan root;
  root.span_id = hex_of(seed, "span", t0 * 16, 16);
  root.service = svc->name;
  root.environment = svc->environment;
  root.operation = e.operation;
  root.kind = "SERVER";
  root.start = start;
  root.end = start + lat;
  root.code_function = code_function(*svc, e.operation);
  root.code_filepath = code_file(*svc);
  root.code_lineno = 40 + static_cast<int>(unit_noise(seed, "line", t0) * 200);
  tr.spans.push_back(root);
  int child = 1;
  double cursor = start + lat * 0.1;
  for (const auto& d : svc->dependencies) {
    if (d.operation != e.operation) continue;
    SampleSpan c;
    c.span_id = hex_of(seed, "span", t0 * 16 + child, 16);
    c.parent_id = root.span_id;
    c.service = svc->name;
    c.environment = svc->environment;
    c.operation = e.operation;
    c.kind = "CLIENT";
    c.remote_service = d.type == "Service" ? d.name : d.resource_type.substr(0, d.resource_type.rfind("::"));
    c.remote_operation = d.remote_operation;
    if (d.type != "Service") c.remote_resource = d.name;
    c.start = cursor;
    c.end = cursor + lat * 0.6;
    c.code_function = root.code_function;
    c.code_filepath = root.code_filepath;
    c.code_lineno = root.code_lineno + 12 * child;
    cursor = c.end;
    tr.spans.push_back(c);
    const std::size_t c_index = tr.spans.size() - 1;
    ++child;
    // One level further: payments' own DynamoDB call, where the incident starts.
    if (d.type == "Service" && d.name == SampleAccount::kIncidentService) {
      const SampleService* pay = a.find_service(d.name);
      SampleSpan server = c;
      server.span_id = hex_of(seed, "span", t0 * 16 + child++, 16);
      server.parent_id = c.span_id;
      server.service = pay->name;
      server.environment = pay->environment;
      server.operation = d.remote_operation;
      server.kind = "SERVER";
      server.remote_service.clear();
      server.remote_operation.clear();
      server.code_function = "com.example.payments.web.ChargeController.charge";
      server.code_filepath = "src/main/java/com/example/payments/web/ChargeController.java";
      server.code_lineno = 88;
      SampleSpan ddb = server;
      ddb.span_id = hex_of(seed, "span", t0 * 16 + child++, 16);
      ddb.parent_id = server.span_id;
      ddb.kind = "CLIENT";
      ddb.remote_service = "AWS::DynamoDB";
      ddb.remote_operation = "PutItem";
      ddb.remote_resource = "payments-ledger";
      ddb.code_function = "com.example.payments.ledger.LedgerRepository.record";
      ddb.code_filepath = "src/main/java/com/example/payments/ledger/LedgerRepository.java";
      ddb.code_lineno = 142;
      if (faulty) {
        ddb.status = 400;
        ddb.throttle = true;
        ddb.error = true;
        ddb.exception_type = "ProvisionedThroughputExceededException";
        ddb.exception_message = "The level of configured provisioned throughput for the table was exceeded. "
                                "Consider increasing your provisioning level with the UpdateTable API.";
        server.status = 500;
        server.fault = true;
        server.exception_type = "com.example.payments.ledger.LedgerWriteException";
        server.exception_message = "Failed to record charge in payments-ledger: ProvisionedThroughputExceededException";
        tr.spans[c_index].status = 500;  // checkout's client span to payments
        tr.spans[c_index].fault = true;
      }
      tr.spans.push_back(server);
      tr.spans.push_back(ddb);
    }
  }
  if (faulty) {
    tr.spans[0].status = 500;
    tr.spans[0].fault = true;
    tr.spans[0].exception_type = "PaymentFailedException";
    tr.spans[0].exception_message = "payments returned 500 for POST /payments/charge";
  } else if (unit_noise(seed, "trace-err", t0) < 0.04) {
    tr.spans[0].status = 404;
    tr.spans[0].error = true;
  }
  tr.duration = tr.spans[0].end - tr.spans[0].start;
  tr.fault = tr.spans[0].fault;
  tr.error = tr.spans[0].error;
  for (const auto& s : tr.spans) tr.throttle = tr.throttle || s.throttle;
  return tr;
}

}  // namespace

std::vector<SampleTrace> traces_between(const SampleAccount& a, std::int64_t anchor, std::uint64_t seed,
                                        double start, double end) {
  std::vector<SampleTrace> out;
  std::int64_t first = anchor - 24 * 3600;
  first += (kStep - first % kStep) % kStep;
  for (std::int64_t t0 = first; t0 < anchor; t0 += kStep) {
    double t = static_cast<double>(t0);
    if (t + kStep < start || t >= end) continue;
    auto tr = make_trace(a, anchor, seed, t0);
    if (tr.start >= start && tr.start < end) out.push_back(std::move(tr));
  }
  return out;
}

std::optional<SampleTrace> trace_by_id(const SampleAccount& a, std::int64_t anchor, std::uint64_t seed,
                                       const std::string& id) {
  if (id.size() != 35 || id.compare(0, 2, "1-") != 0) return std::nullopt;
  auto epoch = static_cast<std::int64_t>(std::strtoll(id.substr(2, 8).c_str(), nullptr, 16));
  // The trace started within 100 s after its slot.
  std::int64_t t0 = epoch - epoch % kStep;
  if (t0 >= anchor || t0 < anchor - 30 * 86400) return std::nullopt;
  auto tr = make_trace(a, anchor, seed, t0);
  if (tr.id == id) return tr;
  return std::nullopt;
}

std::string otel_trace_id(const std::string& xray_id) {
  if (xray_id.size() != 35) return xray_id;
  return xray_id.substr(2, 8) + xray_id.substr(11);
}

}  // namespace appsignals::fakeaws
