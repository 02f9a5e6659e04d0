// GET /metrics against the real binary and the fake AWS: the exposition parses with a Prometheus
// text-format parser, and after known calls (tools/call, one of them throttled once by the fake
// AWS, a 401) the counters moved by exactly the expected amounts. Also: /metrics needs the key
// when keys are set, MCP_METRICS=off hides it, X-Request-Id is echoed, and MCP_LOG_FORMAT=json
// lines parse as JSON and carry the request id and the tool.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startServer } from './lib/server.mjs';
import { appBin, findLeakedKeys, initializeRequest, makeKey, waitForOutput, withTimeout } from './lib/harness.mjs';

const KEY = makeKey('metrics');
const AUTH = { Authorization: `Bearer ${KEY}` };
const T = 15000;
const N = 5;
const TOOL = 'list_monitored_services';

let fake;
let fakeUrl;
let fakeEnv = {};
let server;
let off;

async function startFake() {
  fake = spawn(appBin, ['fakeaws', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  const exports = await withTimeout(
    new Promise((resolve, reject) => {
      fake.stdout.on('data', (c) => {
        printed += c;
        if (/export AWS_DEFAULT_REGION=.*\n/.test(printed)) resolve(printed);
      });
      fake.once('exit', (code) => reject(new Error(`fakeaws exited (${code}):\n${printed}`)));
    }),
    10000,
    'the export lines of appsignals-mcp fakeaws',
  );
  for (const [, name, value] of exports.matchAll(/^export (\w+)=(\S+)$/gm)) fakeEnv[name] = value;
  fakeUrl = fakeEnv.AWS_ENDPOINT_URL;
  assert.ok(fakeUrl, exports);
}

const get = (s, path, headers = {}) => withTimeout(fetch(`${s.url}${path}`, { headers }), T, `GET ${path}`);
const post = (s, body, headers = {}) =>
  withTimeout(
    fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...AUTH, ...headers },
      body: JSON.stringify(body),
    }),
    T,
    `POST /mcp ${body.method}`,
  );

// { "<name>{a=\"x\",...}": value } for counters and gauges (from the parser); histograms as
// <name>_count. parse-prometheus-text-format folds labelled histograms together when the _count
// and _sum samples come before the buckets (prometheus-cpp's order, which the format allows), so
// their _count samples are read from the lines themselves (labels are sorted in both).
async function scrape(s) {
  const res = await get(s, '/metrics', AUTH);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const families = parsePrometheusTextFormat(text);
  assert.ok(families.length >= 10, 'the exposition parses into families');
  const out = {};
  for (const f of families) {
    if (f.type === 'HISTOGRAM') continue;
    for (const m of f.metrics) {
      const labels = Object.entries(m.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
      out[`${f.name}{${labels.map(([k, v]) => `${k}="${v}"`).join(',')}}`] = Number(m.value);
    }
  }
  for (const [, name, labels, value] of text.matchAll(/^(\w+_count)\{([^}]*)\} (\S+)$/gm)) out[`${name}{${labels}}`] = Number(value);
  return out;
}

const delta = (after, before, key) => (after[key] ?? 0) - (before[key] ?? 0);

before(async () => {
  await startFake();
  const env = { ...fakeEnv, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1', MCP_LOG_FORMAT: 'json' };
  server = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: { ...env, MCP_API_KEY: KEY },
  });
  off = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: { ...env, MCP_METRICS: 'off' },
  });
});

after(async () => {
  const codes = [await server.stop(), await off.stop()];
  fake.kill('SIGTERM');
  assert.deepEqual(codes, [0, 0]);
  assert.deepEqual(findLeakedKeys(server.output(), [KEY]), [], 'no key in the log');
});

test('/metrics needs the key when keys are set, and MCP_METRICS=off answers 404', async () => {
  const res = await get(server, '/metrics');
  assert.equal(res.status, 401);
  assert.ok(res.headers.get('x-request-id'), 'a 401 carries X-Request-Id too');
  assert.equal((await get(off, '/metrics')).status, 404);
  assert.equal((await get(off, '/health')).status, 200);
});

test('counters move by exactly the expected amounts after known calls', async () => {
  const base = await scrape(server);

  const init = await post(server, initializeRequest(1, '2025-06-18'));
  assert.equal(init.status, 200);
  const session = init.headers.get('mcp-session-id');
  assert.ok(session);
  const S = { 'Mcp-Session-Id': session, 'MCP-Protocol-Version': '2025-06-18' };
  assert.equal((await post(server, { jsonrpc: '2.0', method: 'notifications/initialized' }, S)).status, 202);

  const call = (id) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: TOOL, arguments: {} } });
  for (let i = 0; i < N; ++i) {
    const res = await post(server, call(10 + i), { ...S, 'X-Request-Id': `metrics-call-${i}` });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), `metrics-call-${i}`, 'a sane X-Request-Id is echoed');
    const body = await res.json();
    assert.equal(body.result?.isError ?? false, false, JSON.stringify(body));
  }
  // One more call whose ListServices is throttled once by the fake, then retried.
  const fault = await withTimeout(
    fetch(`${fakeUrl}/__fault`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'ListServices', fault: 'throttle', count: 1 }),
    }),
    T,
    'arm the throttle fault',
  );
  assert.equal(fault.status, 200, await fault.text());
  const throttled = await post(server, call(99), { ...S, 'X-Request-Id': 'metrics-throttled' });
  assert.equal(throttled.status, 200);
  assert.equal((await throttled.json()).result?.isError ?? false, false);
  // An unknown tool never reaches a handler: counted as the client's error under "(unknown)".
  const unknown = await post(
    server,
    { jsonrpc: '2.0', id: 98, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } },
    { ...S, 'X-Request-Id': 'metrics-unknown' },
  );
  assert.equal(unknown.status, 200);
  assert.equal((await unknown.json()).error?.code, -32602);
  // A 401 on /info.
  assert.equal((await get(server, '/info')).status, 401);
  // A path no route knows (with the key): one "unmatched" 404.
  assert.equal((await get(server, '/no/such/path', AUTH)).status, 404);

  const now = await scrape(server);
  const d = (key) => delta(now, base, key);
  assert.equal(d(`appsignals_tool_calls_total{outcome="ok",tool="${TOOL}"}`), N + 1);
  assert.equal(d(`appsignals_tool_calls_total{outcome="error",tool="${TOOL}"}`), 0);
  assert.equal(d(`appsignals_tool_call_duration_seconds_count{tool="${TOOL}"}`), N + 1);
  assert.equal(d('appsignals_tool_calls_total{outcome="client_error",tool="(unknown)"}'), 1);
  assert.equal(d('appsignals_http_requests_total{method="POST",route="/mcp",status="200"}'), N + 3);
  assert.equal(d('appsignals_http_requests_total{method="POST",route="/mcp",status="202"}'), 1);
  assert.equal(d('appsignals_http_requests_total{method="GET",route="/info",status="401"}'), 1);
  assert.equal(d('appsignals_http_requests_total{method="GET",route="unmatched",status="404"}'), 1);
  assert.equal(d('appsignals_auth_failures_total{reason="missing"}'), 1);
  assert.equal(d('appsignals_auth_failures_total{reason="rejected"}'), 0);
  const svc = 'operation="ListServices",service="application-signals"';
  assert.equal(d(`appsignals_aws_throttled_attempts_total{${svc}}`), 1);
  assert.equal(d(`appsignals_aws_requests_total{${svc.replace(',', ',outcome="retried",')}}`), 1);
  assert.equal(d(`appsignals_aws_requests_total{${svc.replace(',', ',outcome="throttled",')}}`), 0);
  const okCalls = d(`appsignals_aws_requests_total{${svc.replace(',', ',outcome="ok",')}}`);
  assert.ok(okCalls >= N, `at least one ListServices per call: ${okCalls}`);
  assert.equal(d(`appsignals_aws_request_duration_seconds_count{${svc}}`), okCalls + 1);
  assert.equal(now['appsignals_redis_errors_total{}'], 0);
  assert.equal(now['appsignals_sessions{transport="streamable-http"}'], 1);
  assert.ok(now['appsignals_open_connections{}'] >= 1);
  assert.ok(now['process_resident_memory_bytes{}'] > 0);
  assert.ok(now['process_cpu_seconds_total{}'] > 0);
});

test('MCP_LOG_FORMAT=json: every line is a JSON object; the tool lines carry request id, tool and session', async () => {
  await waitForOutput(server, /metrics-throttled/);
  const lines = server.output().split('\n').filter((l) => l.length > 0);
  assert.ok(lines.length > 5);
  const objects = lines.map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      assert.fail(`not a JSON line: ${l}`);
    }
  });
  for (const o of objects) assert.ok(o.time && o.level && typeof o.message === 'string', JSON.stringify(o));
  const toolLines = objects.filter((o) => o.tool === TOOL);
  assert.equal(toolLines.length, N + 1, JSON.stringify(toolLines));
  for (let i = 0; i < N; ++i) assert.ok(toolLines.some((o) => o.request_id === `metrics-call-${i}`), `line for call ${i}`);
  for (const o of toolLines) {
    assert.ok(o.session, 'the session id');
    assert.match(o.principal, /^api-key:/);
  }
  const authLine = objects.find((o) => /authentication failed/.test(o.message));
  assert.ok(authLine?.request_id, 'the 401 line carries the request id');
});
