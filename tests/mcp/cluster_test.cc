// Session records of cluster mode: encoding round trip, refusal of malformed records, and the
// rebuild of a local session from its record.
#include "mcp/cluster.h"

#include <gtest/gtest.h>

namespace appsignals::mcp {
namespace {

TEST(SessionRecord, RoundTrips) {
  SessionRecord r;
  r.kind = SessionRecord::Kind::kSse;
  r.id = "0123456789abcdef0123456789abcdef";
  r.principal = "api-key:1f2e";
  r.version = "2024-11-05";
  r.owner = "inst-a";
  r.capabilities["elicitation"] = json::object();
  r.client_info["name"] = "client \"x\"\n";
  auto back = decode_record(encode_record(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, SessionRecord::Kind::kSse);
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->principal, r.principal);
  EXPECT_EQ(back->version, r.version);
  EXPECT_EQ(back->owner, r.owner);
  EXPECT_EQ(back->capabilities, r.capabilities);
  EXPECT_EQ(back->client_info, r.client_info);
}

TEST(SessionRecord, RefusesMalformedOrForeignRecords) {
  for (const char* bad : {"", "{", "[]", "{\"v\":2,\"kind\":\"sse\",\"id\":\"a\",\"principal\":\"\",\"version\":\"\",\"owner\":\"\",\"capabilities\":{},\"clientInfo\":{}}",
                          "{\"v\":1,\"kind\":\"ws\",\"id\":\"a\",\"principal\":\"\",\"version\":\"\",\"owner\":\"\",\"capabilities\":{},\"clientInfo\":{}}",
                          "{\"v\":1,\"kind\":\"http\",\"id\":\"\",\"principal\":\"\",\"version\":\"\",\"owner\":\"\",\"capabilities\":{},\"clientInfo\":{}}",
                          "{\"v\":1,\"kind\":\"http\",\"id\":\"a\",\"principal\":1,\"version\":\"\",\"owner\":\"\",\"capabilities\":{},\"clientInfo\":{}}",
                          "{\"v\":1,\"kind\":\"http\",\"id\":\"a\",\"principal\":\"\",\"version\":\"\",\"owner\":\"\",\"capabilities\":[],\"clientInfo\":{}}"}) {
    EXPECT_FALSE(decode_record(bad)) << bad;
  }
}

TEST(SessionRecord, RebuildsALocalSession) {
  Session original("id1", "p");
  original.set_protocol_version("2025-03-26");
  json::object caps;
  caps["sampling"] = json::object();
  json::object info;
  info["name"] = "c";
  original.set_client(caps, info);
  auto record = record_of(original, SessionRecord::Kind::kHttp, "");
  EXPECT_EQ(record.version, "2025-03-26");

  Session rebuilt("id1", "p");
  apply_record(rebuilt, *decode_record(encode_record(record)));
  EXPECT_EQ(rebuilt.protocol_version(), "2025-03-26");
  EXPECT_TRUE(rebuilt.client_supports("sampling"));
  EXPECT_TRUE(rebuilt.initialized());
  EXPECT_EQ(rebuilt.client_info(), info);

  // A record written before initialize leaves the defaults alone.
  SessionRecord fresh;
  fresh.id = "id2";
  Session s("id2", "p");
  apply_record(s, fresh);
  EXPECT_FALSE(s.initialized());
}

}  // namespace
}  // namespace appsignals::mcp
