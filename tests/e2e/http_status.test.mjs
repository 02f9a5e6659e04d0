// Plain HTTP checks (the "curl checks") of every status code issue 3 lists for
// `appsignals-mcp serve`: /health, /info, unknown paths, OAuth discovery (404: none), the 401 and
// 403 messages, the legacy SSE pair (/sse, /messages/), the path prefix, and the Streamable HTTP
// endpoint's session errors. Keys never leak.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './lib/server.mjs';
import { SseStream, findLeakedKeys, initializeRequest, makeKey, makeTempDir, removeDir, withTimeout } from './lib/harness.mjs';

const KEY1 = makeKey('status-one');
const KEY2 = makeKey('status-two');
const WRONG = makeKey('status-wrong');
const T = 10000;
const A1 = { Authorization: `Bearer ${KEY1}` };
const A2 = { 'X-API-Key': KEY2 };
const JSON_CT = { 'Content-Type': 'application/json' };
const MCP_ACCEPT = { Accept: 'application/json, text/event-stream' };

const servers = [];
let main; // keys set, region set
let home;

async function start(env, args = []) {
  const s = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { HOME: home, AWS_CONFIG_FILE: `${home}/none`, AWS_SHARED_CREDENTIALS_FILE: `${home}/none`, AWS_PROFILE: undefined, ...env },
  });
  servers.push(s);
  return s;
}

const get = (s, path, headers = {}) => withTimeout(fetch(`${s.url}${path}`, { headers }), T, `GET ${path}`);
const post = (s, path, body, headers = {}) =>
  withTimeout(fetch(`${s.url}${path}`, { method: 'POST', headers, body }), T, `POST ${path}`);
const ping = (id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

before(async () => {
  home = await makeTempDir('status');
  main = await start({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: undefined, MCP_API_KEY: `${KEY1},${KEY2}` });
});

after(async () => {
  const codes = [];
  for (const s of servers) codes.push(await s.stop());
  await removeDir(home);
  assert.ok(codes.every((c) => c === 0), `every server exits 0 on SIGTERM: ${codes}`);
  for (const s of servers) {
    assert.deepEqual(findLeakedKeys(s.output(), [KEY1, KEY2, WRONG]), [], `no key in the log:\n${s.output()}`);
  }
});

describe('/health', () => {
  test('answers 200 without credentials even when a key is set, with the documented fields', async () => {
    const res = await get(main, '/health');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = await res.json();
    assert.equal(body.status, 'healthy');
    assert.equal(body.service, 'cloudwatch-applicationsignals-mcp-server');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(body.region, 'eu-west-1');
    assert.equal(body.transport, 'sse');
    assert.deepEqual(body.transports, ['sse', 'streamable-http']);
  });

  test('names the path of both transports: Streamable HTTP /mcp and legacy SSE /sse (+ /messages/)', async () => {
    const body = await (await get(main, '/health')).json();
    assert.deepEqual(body.endpoints, { mcp: '/mcp', sse: '/sse', messages: '/messages/' });
  });

  test('also answers 200 when a wrong key is presented', async () => {
    const res = await get(main, '/health', { Authorization: `Bearer ${WRONG}` });
    assert.equal(res.status, 200);
  });

  test('says "degraded" with a reason when no AWS region is configured', async () => {
    const s = await start({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, MCP_API_KEY: KEY1 });
    const res = await get(s, '/health');
    assert.equal(res.status, 200, 'degraded is still 200');
    const body = await res.json();
    assert.equal(body.status, 'degraded');
    assert.equal(typeof body.reason, 'string');
    assert.match(body.reason, /region/i);
    assert.equal(body.service, 'cloudwatch-applicationsignals-mcp-server');
  });

  test('takes the region from AWS_DEFAULT_REGION when AWS_REGION is unset', async () => {
    const s = await start({ AWS_REGION: undefined, AWS_DEFAULT_REGION: 'ap-south-1' });
    const body = await (await get(s, '/health')).json();
    assert.equal(body.status, 'healthy');
    assert.equal(body.region, 'ap-south-1');
  });
});

describe('/info', () => {
  test('answers 401 without a key, with a Bearer challenge and a JSON error naming both headers', async () => {
    const res = await get(main, '/info');
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="appsignals-mcp"');
    const body = await res.json();
    assert.equal(typeof body.error, 'string');
    assert.match(body.error, /Authorization: Bearer/);
    assert.match(body.error, /X-API-Key/);
  });

  test('a missing key is "required"; a wrong one (either header) is "rejected", with error="invalid_token"', async () => {
    const missing = await (await get(main, '/info')).json();
    assert.match(missing.error, /^API key required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'/);
    assert.match(missing.error, /not OAuth/);
    for (const headers of [{ Authorization: `Bearer ${WRONG}` }, { 'X-API-Key': WRONG }]) {
      const res = await get(main, '/info', headers);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="appsignals-mcp", error="invalid_token"');
      assert.match((await res.json()).error, /^API key rejected/);
    }
  });

  test('answers 401 with a wrong key and never echoes the presented or configured key', async () => {
    for (const headers of [{ Authorization: `Bearer ${WRONG}` }, { 'X-API-Key': WRONG }, { Authorization: KEY1 }]) {
      const res = await get(main, '/info', headers);
      assert.equal(res.status, 401, `rejected: ${JSON.stringify(Object.keys(headers))}`);
      const text = `${[...res.headers].map((h) => h.join(': ')).join('\n')}\n${await res.text()}`;
      assert.deepEqual(findLeakedKeys(text, [KEY1, KEY2, WRONG]), [], `401 response echoes no key:\n${text}`);
    }
  });

  test('answers 200 with a right key (either header) and describes the server', async () => {
    for (const headers of [A1, A2]) {
      const res = await get(main, '/info', headers);
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.name, 'cloudwatch-applicationsignals-mcp-server');
      assert.equal(typeof body.description, 'string');
      assert.match(body.version, /^\d+\.\d+\.\d+/);
      assert.equal(body.region, 'eu-west-1');
      assert.deepEqual(body.transports, ['sse', 'streamable-http']);
      assert.equal(body.authentication, 'api-key');
      assert.equal(body.tls, false);
      for (const e of ['health', 'info', 'sse', 'messages', 'mcp']) {
        assert.equal(typeof body.endpoints?.[e], 'string', `endpoints.${e}`);
      }
      assert.equal(body.endpoints.health, '/health');
      assert.equal(body.endpoints.sse, '/sse');
      assert.equal(body.endpoints.mcp, '/mcp');
      assert.ok(Array.isArray(body.protocol_versions) && body.protocol_versions.includes('2024-11-05'), 'protocol_versions incl. 2024-11-05');
      assert.equal(typeof body.tool_count, 'number');
      const text = JSON.stringify(body);
      assert.deepEqual(findLeakedKeys(text, [KEY1, KEY2]), [], '/info does not reveal keys');
    }
  });

  test('says authentication "disabled" when no key is configured', async () => {
    const s = await start({ AWS_REGION: 'eu-west-1', MCP_API_KEY: undefined, MCP_API_KEY_FILE: undefined });
    const res = await get(s, '/info');
    assert.equal(res.status, 200, 'no key configured: /info is open');
    assert.equal((await res.json()).authentication, 'disabled');
  });
});

describe('unknown paths', () => {
  test('answer 404 JSON with a right key', async () => {
    const res = await get(main, '/no/such/path', A1);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(typeof (await res.json()).error, 'string');
  });

  test('answer 401 without a key', async () => {
    const res = await get(main, '/no/such/path');
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="appsignals-mcp"');
  });
});

describe('OAuth discovery (this server has none)', () => {
  const paths = [
    '/.well-known/oauth-protected-resource',
    '/.well-known/oauth-protected-resource/mcp',
    '/.well-known/oauth-protected-resource/sse',
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/mcp',
    '/.well-known/openid-configuration',
    '/.well-known/openid-configuration/mcp',
    '/mcp/.well-known/openid-configuration',
  ];
  test('every metadata path is a 404 JSON error naming the API key, without a key and without a challenge', async () => {
    for (const p of paths) {
      const res = await get(main, p, { 'MCP-Protocol-Version': '2025-06-18' });
      assert.equal(res.status, 404, p);
      assert.equal(res.headers.get('www-authenticate'), null, `${p}: no challenge`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, p);
      const body = await res.json();
      assert.match(body.error, /does not use OAuth/, p);
      assert.match(body.error, /API key.*'Authorization: Bearer <key>' or 'X-API-Key: <key>'/, p);
    }
  });

  test('dynamic client registration (POST /register) gets the 401 that names the API key', async () => {
    const res = await post(main, '/register', '{"client_name":"x"}', JSON_CT);
    assert.equal(res.status, 401);
    assert.match((await res.json()).error, /^API key required/);
  });

  test('without MCP_API_KEY the metadata paths are 404 too', async () => {
    const s = await start({ AWS_REGION: 'eu-west-1', MCP_API_KEY: undefined, MCP_API_KEY_FILE: undefined });
    const res = await get(s, '/.well-known/oauth-protected-resource/mcp');
    assert.equal(res.status, 404);
    assert.match((await res.json()).error, /does not use OAuth/);
  });
});

describe('403 for DNS-rebinding protection names the setting', () => {
  // fetch() sets Host itself; node:http lets the test send a foreign one.
  const rawGet = (s, path, headers) =>
    withTimeout(
      new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: s.port, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
        req.on('error', reject);
        req.end();
      }),
      T,
      `GET ${path}`,
    );

  test('a refused Host names it and MCP_ALLOWED_HOSTS', async () => {
    const r = await rawGet(main, '/mcp', { Host: 'rebind.example.com', ...A1 });
    assert.equal(r.status, 403);
    const { error } = JSON.parse(r.body);
    assert.match(error, /'rebind\.example\.com'/);
    assert.match(error, /MCP_ALLOWED_HOSTS/);
  });

  test('a refused Origin names it and MCP_ALLOWED_ORIGINS', async () => {
    const res = await get(main, '/mcp', { ...A1, Origin: 'https://evil.example.com' });
    assert.equal(res.status, 403);
    const { error } = await res.json();
    assert.match(error, /'https:\/\/evil\.example\.com'/);
    assert.match(error, /MCP_ALLOWED_ORIGINS/);
  });
});

describe('legacy SSE: GET /sse and POST /messages/', () => {
  let stream;
  let endpoint;

  before(async () => {
    stream = await SseStream.open(`${main.url}/sse`, { headers: A1 });
    const first = await stream.next(() => true, { what: 'the endpoint event' });
    assert.equal(first.event, 'endpoint');
    endpoint = first.data;
  });
  after(() => stream?.close());

  test('GET /sse without a key is 401', async () => {
    const res = await get(main, '/sse', { Accept: 'text/event-stream' });
    assert.equal(res.status, 401);
    await res.body?.cancel();
  });

  test('GET /sse is a 200 text/event-stream whose first event is the endpoint with a 32-hex session id', () => {
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(endpoint, /^\/messages\/\?session_id=[0-9a-f]{32}$/);
  });

  test('POST /sse answers 405 with Allow: GET', async () => {
    const res = await post(main, '/sse', ping(1), { ...A1, ...JSON_CT, ...MCP_ACCEPT });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET');
  });

  test('a valid POST is 202 Accepted and the reply arrives on the stream', async () => {
    const res = await post(main, endpoint, JSON.stringify(initializeRequest(10)), { ...A1, ...JSON_CT });
    assert.equal(res.status, 202);
    assert.match(await res.text(), /Accepted/);
    const reply = await stream.nextMessage(10);
    assert.equal(reply.result?.protocolVersion, '2024-11-05', 'negotiates the version the client sent');
    assert.equal(reply.result?.serverInfo?.name, 'cloudwatch-applicationsignals-mcp-server');
    const r2 = await post(main, endpoint, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { ...A1, ...JSON_CT });
    assert.equal(r2.status, 202);
    const r3 = await post(main, endpoint, JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'tools/list' }), { ...A1, ...JSON_CT });
    assert.equal(r3.status, 202);
    assert.ok(Array.isArray((await stream.nextMessage(11)).result?.tools), 'tools/list reply on the stream');
  });

  test('the messages path without the trailing slash is accepted too', async () => {
    const res = await post(main, endpoint.replace('/messages/', '/messages'), ping(12), { ...A1, ...JSON_CT });
    assert.equal(res.status, 202);
    assert.deepEqual((await stream.nextMessage(12)).result, {});
  });

  test('a POST with a Content-Type other than JSON is 400', async () => {
    const res = await post(main, endpoint, ping(13), { ...A1, 'Content-Type': 'text/plain' });
    assert.equal(res.status, 400);
  });

  test('a POST without session_id is 400', async () => {
    const res = await post(main, '/messages/', ping(14), { ...A1, ...JSON_CT });
    assert.equal(res.status, 400);
  });

  test('a POST with an unknown session id is 404', async () => {
    const res = await post(main, `/messages/?session_id=${'0'.repeat(32)}`, ping(15), { ...A1, ...JSON_CT });
    assert.equal(res.status, 404);
  });

  test('a POST with invalid JSON is 400', async () => {
    const res = await post(main, endpoint, '{"jsonrpc": "2.0", "id": 16, "method": ', { ...A1, ...JSON_CT });
    assert.equal(res.status, 400);
  });

  test('a POST without a key is 401', async () => {
    const res = await post(main, endpoint, ping(17), JSON_CT);
    assert.equal(res.status, 401);
  });

  test('a POST to a session opened with key 1 but sent with key 2 is 404, and the reply does not leak onto the stream', async () => {
    const res = await post(main, endpoint, ping(18), { ...A2, ...JSON_CT });
    assert.equal(res.status, 404);
    // The owner's next request is answered and nothing for id 18 was queued before it.
    assert.equal((await post(main, endpoint, ping(19), { ...A1, ...JSON_CT })).status, 202);
    await stream.nextMessage(19);
    assert.ok(!stream.queue.some((ev) => /"id":18/.test(ev.data)), 'no reply to the foreign POST');
  });

  test('the same key sent in the other header is the same owner (202)', async () => {
    const res = await post(main, endpoint, ping(20), { 'X-API-Key': KEY1, ...JSON_CT });
    assert.equal(res.status, 202);
    await stream.nextMessage(20);
  });
});

describe('MCP_PUBLIC_PATH_PREFIX', () => {
  for (const [how, env, args] of [
    ['MCP_PUBLIC_PATH_PREFIX=/appsignals', { MCP_PUBLIC_PATH_PREFIX: '/appsignals' }, []],
    ['--public-prefix /appsignals', {}, ['--public-prefix', '/appsignals']],
  ]) {
    test(`with ${how} the endpoint event starts with /appsignals/messages/?session_id= and a 32-hex id`, async () => {
      const s = await start({ AWS_REGION: 'eu-west-1', MCP_API_KEY: KEY1, ...env }, args);
      const stream = await SseStream.open(`${s.url}/sse`, { headers: A1 });
      try {
        const ev = await stream.next(() => true, { what: 'the endpoint event' });
        assert.equal(ev.event, 'endpoint');
        assert.match(ev.data, /^\/appsignals\/messages\/\?session_id=[0-9a-f]{32}$/);
        // Behind the proxy the prefix is stripped: the server still serves /messages/ itself.
        const res = await post(s, ev.data.replace(/^\/appsignals/, ''), ping(1), { ...A1, ...JSON_CT });
        assert.equal(res.status, 202);
        assert.deepEqual((await stream.nextMessage(1)).result, {});
        const health = await (await get(s, '/health')).json();
        assert.deepEqual(health.endpoints, { mcp: '/appsignals/mcp', sse: '/appsignals/sse', messages: '/appsignals/messages/' });
      } finally {
        stream.close();
      }
    });
  }
});

describe('Streamable HTTP /mcp', () => {
  test('a request without a session (not initialize) is 400', async () => {
    const res = await post(main, '/mcp', ping(1), { ...A1, ...JSON_CT, ...MCP_ACCEPT });
    assert.equal(res.status, 400);
  });

  test('a request with an unknown session id is 404', async () => {
    const res = await post(main, '/mcp', ping(1), { ...A1, ...JSON_CT, ...MCP_ACCEPT, 'Mcp-Session-Id': 'f'.repeat(32) });
    assert.equal(res.status, 404);
  });

  test('PUT is 405 with an Allow header listing GET, POST, DELETE', async () => {
    const res = await withTimeout(fetch(`${main.url}/mcp`, { method: 'PUT', headers: { ...A1, ...JSON_CT }, body: ping(1) }), T, 'PUT /mcp');
    assert.equal(res.status, 405);
    const allow = (res.headers.get('allow') ?? '').split(',').map((s) => s.trim()).sort();
    assert.deepEqual(allow, ['DELETE', 'GET', 'POST']);
  });

  test('without a key it is 401', async () => {
    const res = await post(main, '/mcp', JSON.stringify(initializeRequest(1, '2025-06-18')), { ...JSON_CT, ...MCP_ACCEPT });
    assert.equal(res.status, 401);
  });

  test('a session opened with key 1 is 404 for key 2', async () => {
    const init = await post(main, '/mcp', JSON.stringify(initializeRequest(1, '2025-06-18')), { ...A1, ...JSON_CT, ...MCP_ACCEPT });
    assert.equal(init.status, 200);
    const sid = init.headers.get('mcp-session-id');
    assert.match(sid ?? '', /^[0-9a-f]{32}$/);
    await init.body?.cancel();
    const h = { ...JSON_CT, ...MCP_ACCEPT, 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': '2025-06-18' };
    const other = await post(main, '/mcp', ping(2), { ...A2, ...h });
    assert.equal(other.status, 404);
    await other.body?.cancel();
    const own = await post(main, '/mcp', ping(3), { ...A1, ...h });
    assert.equal(own.status, 200);
    await own.body?.cancel();
  });
});
