#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus/<target>/ from the tests' own inputs and
the official corpora beside the repository (../shared: the SigV4 signing suite and the endpoint
rule tests of the AWS models). The committed corpus is what this script wrote plus any
reproducer added by hand (files named crash-*, timeout-*, leak-*: keep them).
Usage: tests/fuzz/make_seeds.py [shared_dir]"""
import hashlib, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(ROOT), "shared")
CORPUS = os.path.join(HERE, "corpus")


def put(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def cxx_strings(path, call):
    """The string literal arguments of call("...") in a C++ test file, unescaped."""
    text = open(os.path.join(ROOT, path)).read()
    out = []
    for m in re.finditer(re.escape(call) + r'\(\s*"((?:[^"\\]|\\.)*)"', text):
        out.append(m.group(1).encode().decode("unicode_escape"))
    for m in re.finditer(re.escape(call) + r'\(\s*R"\(([\s\S]*?)\)"', text):
        out.append(m.group(1))
    return out


# ---- xml_reader and aws_response ----
XML = [
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
    '<Arn>arn:aws:iam::123456789012:user/me</Arn><UserId>AID</UserId><Account>123456789012</Account>'
    '</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
    '<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no role</Message></Error><RequestId>r2</RequestId></ErrorResponse>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket-1</Name>'
    '<Contents><Key>a/b.json</Key><Size>3</Size></Contents><Contents><Key>c</Key><Size>0</Size></Contents>'
    '<IsTruncated>false</IsTruncated></ListBucketResult>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
    '<ListRolesResponse><ListRolesResult><Roles><member><RoleName>a&amp;b</RoleName><Tags><member><Key>k</Key>'
    '<Value><![CDATA[v<1>]]></Value></member></Tags></member><member><RoleName>c</RoleName></member></Roles>'
    '<IsTruncated>true</IsTruncated><Marker>m</Marker></ListRolesResult></ListRolesResponse>',
    '<GetMetricDataResponse><GetMetricDataResult><MetricDataResults><member><Id>m1</Id><Timestamps>'
    '<member>2026-12-04T00:00:00Z</member></Timestamps><Values><member>1.5</member></Values>'
    '<Attributes><entry><key>a</key><value>b</value></entry></Attributes></member></MetricDataResults>'
    '</GetMetricDataResult></GetMetricDataResponse>',
    '<Response><Errors><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></Errors><RequestID>x</RequestID></Response>',
]
for x in XML:
    put("xml_reader", x)
# aws_response: byte 0 = protocol (mod 5: restJson1, awsJson1_0, awsJson1_1, awsQuery, restXml) and
# status class; then the operation, headers, a blank line and the body.
JSON_BODIES = [
    '{"__type":"com.amazonaws.logs#ResourceNotFoundException","message":"The specified log group does not exist."}',
    '{"__type":"ThrottlingException:http://internal.amazon.com/coral/","Message":"Rate exceeded"}',
    '{"code":"AccessDeniedException","message":"User: arn is not authorized to perform: application-signals:ListServices"}',
    '{"ServiceSummaries":[{"KeyAttributes":{"Name":"payments","Type":"Service"}}],"NextToken":"t"}',
    '',
]
for i, body in enumerate(JSON_BODIES):
    for proto in (0, 1, 2):
        hdr = "x-amzn-errortype: ValidationException:http://internal.amazon.com/\nx-amzn-requestid: r1\n" if i == 2 else ""
        put("aws_response", bytes([proto + 5 * (i % 8)]) + f"ListServices\n{hdr}\n{body}".encode())
for i, x in enumerate(XML):
    put("aws_response", bytes([3 + 5 * i]) + f"GetCallerIdentity\nx-amzn-RequestId: r\n\n{x}".encode())
    put("aws_response", bytes([4 + 5 * i]) + f"ListObjectsV2\nx-amz-request-id: r\n\n{x}".encode())

# ---- sigv4_auth: the signing suite's signed requests ----
suite = os.path.join(SHARED, "sigv4-test-suite")
if os.path.isdir(suite):
    for dirpath, _, files in os.walk(suite):
        for f in files:
            if f.endswith(".sreq") or f.endswith(".req"):
                data = open(os.path.join(dirpath, f), "rb").read()
                if len(data) <= 4096:
                    put("sigv4_auth", data, f)

# ---- endpoint_rules: the models' endpoint rule tests ----
PREFIX_INDEX = {"application-signals": 0, "cloudwatch": 1, "logs": 2, "xray": 3,
                "synthetics": 4, "iam": 5, "sts": 6, "lambda": 7}
for svc, idx in PREFIX_INDEX.items():
    path = os.path.join(SHARED, "aws-models", svc, "endpoint-tests-1.json")
    if not os.path.exists(path):
        continue
    cases = json.load(open(path))["testCases"]
    for n, case in enumerate(cases[:24]):
        p = case.get("params", {})
        flags = (idx & 3) | (0x20 if idx >= 4 else 0)
        # bit 0x20 doubles as "UseFIPS set" (see the target): keep the index's meaning first.
        if "Region" not in p:
            flags |= 0x08
        if "Endpoint" in p:
            flags |= 0x10
        if p.get("UseFIPS"):
            flags |= 0x01 | 0x20
        if "UseDualStack" in p:
            flags |= 0x40 | (0x02 if p["UseDualStack"] else 0)
        if "UseGlobalEndpoint" in p:
            flags |= 0x04
        put("endpoint_rules", bytes([flags & 0x7f]) + f'{p.get("Region", "")}\n{p.get("Endpoint", "")}'.encode(),
            f"{svc}-{n}")
small = os.path.join(SHARED, "aws-models", "application-signals", "endpoint-rule-set-1.json")
if os.path.exists(small):
    put("endpoint_rules", bytes([0x80]) + json.dumps(json.load(open(small)), separators=(",", ":")).encode(),
        "rule-set-application-signals")

# ---- time_args ----
for t in ["1763330864", "1763330864000", "2026-11-24T10:00", "2026-11-24T10:00:00.5+02:00",
          "2026-11-24 10:00:00", "2026-11-24", "now", "today", "yesterday", "1h", "30m", "2d", "90s", "1w",
          "now-3h", "now - 30m", "3 hours ago", "last 24 hours", "past 2 days", "an hour ago",
          "2026-11-24T10:00:00Z\n2026-11-24T12:00:00Z", "3h\nnow", "1.7e12", "-1", "9999-12-31T23:59:59Z"]:
    put("time_args", t)

# ---- tool_args: every spec index with common arguments ----
ARGS = [
    {},
    {"service_name": "payments", "start_time": "3h", "end_time": "now", "region": "us-east-1", "max_results": 5},
    {"slo_id": "availability", "hours": "24 hours", "next_token": "abc", "environment": "eks:prod"},
    {"service_names": ["a", "b"], "query": "fields @message | limit 5", "trace_ids": "[\"1-abc\"]",
     "status": "OK", "include_details": True, "log_group_names": ["/aws/x"]},
    {"operation": "GET /api", "start_time": 1763330864, "end_time": "2026-11-24T10:00:00Z", "page_size": "10",
     "canary_name": "c", "target": "service", "filter": "{\"a\":1}"},
]
for i in range(128):
    put("tool_args", bytes([i]) + json.dumps(ARGS[i % len(ARGS)]).encode(), f"spec-{i}")

# ---- logs_insights and promql: the unit tests' queries ----
for q in set(cxx_strings("tests/fakeaws/query/logs_insights_test.cc", "run")
             + cxx_strings("tests/fakeaws/query/logs_insights_test.cc", "error")
             + cxx_strings("tests/fakeaws/query/logs_insights_test.cc", "parse")):
    put("logs_insights", q)
put("logs_insights", "SOURCE logGroups(namePrefix: [\"/aws/lambda\"], class: \"STANDARD\") | fields @timestamp, @message\n"
                     "| filter @message like /(?i)error/ and status >= 500 | stats count(*) as n, pct(latency, 99) by bin(5m), service\n"
                     "| sort n desc | limit 20")
put("logs_insights", "2026-12-04 01:05:00.123")
for q in set(cxx_strings("tests/fakeaws/query/promql_test.cc", "evaluate")
             + cxx_strings("tests/fakeaws/query/promql_test.cc", "instant_query")
             + cxx_strings("tests/fakeaws/query/promql_test.cc", "range_query")):
    put("promql", q)
put("promql", 'sum by ("function.name") (histogram_count(increase({"service.function.duration","@resource.service.name"="svc"}[1h])))\n'
              '{"service.function.duration"}\ncount{operation=~"GET.*"}')

# ---- jsonrpc_dispatch: a session's messages, one per line ----
INIT = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"sampling":{},"elicitation":{}},"clientInfo":{"name":"fuzz","version":"0"}}}'
INITED = '{"jsonrpc":"2.0","method":"notifications/initialized"}'
CALLS = [
    '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    '{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"cursor":"Mg"}}',
    '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"test_simple_text","arguments":{}}}',
    '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"test_tool_with_progress","arguments":{},"_meta":{"progressToken":7}}}',
    '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"test_sampling","arguments":{"prompt":"hi"}}}\n'
    '{"jsonrpc":"2.0","id":0,"result":{"role":"assistant","content":{"type":"text","text":"ok"},"model":"m"}}',
    '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"test_elicitation","arguments":{"message":"who"}}}\n'
    '{"jsonrpc":"2.0","id":1,"result":{"action":"accept","content":{"username":"u","email":"e@x"}}}',
    '{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"json_schema_2020_12_tool","arguments":{"name":"n","address":{"street":"s"}}}}',
    '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"test_reconnection","arguments":{}}}\n'
    '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":9,"reason":"bye"}}',
    '{"jsonrpc":"2.0","id":10,"method":"resources/list"}',
    '{"jsonrpc":"2.0","id":11,"method":"resources/templates/list"}',
    '{"jsonrpc":"2.0","id":12,"method":"resources/read","params":{"uri":"test://static-text"}}',
    '{"jsonrpc":"2.0","id":13,"method":"resources/read","params":{"uri":"test://template/42/data"}}',
    '{"jsonrpc":"2.0","id":14,"method":"resources/subscribe","params":{"uri":"test://watched-resource"}}',
    '{"jsonrpc":"2.0","id":15,"method":"prompts/list"}',
    '{"jsonrpc":"2.0","id":16,"method":"prompts/get","params":{"name":"test_prompt_with_arguments","arguments":{"arg1":"a","arg2":"b"}}}',
    '{"jsonrpc":"2.0","id":17,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"test_prompt_with_arguments"},"argument":{"name":"arg1","value":"a"}}}',
    '{"jsonrpc":"2.0","id":18,"method":"logging/setLevel","params":{"level":"debug"}}',
    '{"jsonrpc":"2.0","id":"p","method":"ping"}',
    '{"jsonrpc":"2.0","id":19,"method":"nope"}',
    '[{"jsonrpc":"2.0","id":20,"method":"ping"}]',
    '{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"test_error_handling"}}',
    '{"jsonrpc":"1.0","id":{},"method":5}',
]
for c in CALLS:
    put("jsonrpc_dispatch", INIT + "\n" + INITED + "\n" + c + "\n")
put("jsonrpc_dispatch", CALLS[2] + "\n" + INIT + "\n" + INIT + "\n")

# ---- http_request: requests on one connection ----
KEY = "fuzz-api-key-0123456789"


def req(method, target, body="", headers=()):
    h = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1:8000"] + list(headers)
    if body or method == "POST":
        h.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(h) + "\r\n\r\n" + body


MCP_HEADERS = (f"Authorization: Bearer {KEY}", "Content-Type: application/json",
               "Accept: application/json, text/event-stream")
SESSION = MCP_HEADERS + ("Mcp-Session-Id: $SESSION", "MCP-Protocol-Version: 2025-06-18")
put("http_request", req("GET", "/health"))
put("http_request", req("GET", "/info", headers=(f"X-API-Key: {KEY}",)))
put("http_request", req("GET", "/.well-known/oauth-protected-resource/mcp"))
put("http_request", req("POST", "/mcp", INIT, MCP_HEADERS) + req("POST", "/mcp", INITED, SESSION)
    + req("POST", "/mcp", CALLS[0], SESSION) + req("POST", "/mcp", CALLS[3], SESSION)
    + req("DELETE", "/mcp", headers=SESSION))
put("http_request", req("POST", "/mcp", INIT, MCP_HEADERS) + req("GET", "/mcp", headers=SESSION))
put("http_request", req("POST", "/mcp", "[" + CALLS[18] + "," + CALLS[0] + "]", MCP_HEADERS))
put("http_request", req("POST", "/mcp", INIT, MCP_HEADERS + ("Origin: http://evil.example",)))
put("http_request", req("POST", "/mcp", INIT, ("Authorization: Bearer wrong-key-0123456789",)))
put("http_request", req("OPTIONS", "/mcp", headers=("Origin: http://localhost:3000", "Access-Control-Request-Method: POST")))
put("http_request", req("GET", "/sse", headers=(f"Authorization: Bearer {KEY}", "Accept: text/event-stream"))
    + req("POST", "/messages/?sessionId=$SESSION", INIT, MCP_HEADERS)
    + req("POST", "/messages/?sessionId=$SESSION", CALLS[2], MCP_HEADERS))
put("http_request", "POST /mcp HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
    f"Authorization: Bearer {KEY}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n\r\n"
    f"{len(CALLS[18]):x}\r\n{CALLS[18]}\r\n0\r\n\r\n")
put("http_request", "GET /health HTTP/1.0\r\n\r\n")
