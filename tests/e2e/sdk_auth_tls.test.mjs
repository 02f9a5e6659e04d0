// The official TypeScript SDK client against `appsignals-mcp serve` with API keys, over the
// legacy SSE transport (/sse) and Streamable HTTP (/mcp), each over plain HTTP and over direct
// TLS with a gen-cert certificate trusted as a custom CA: the right key (Bearer and X-API-Key)
// connects, lists tools and pings; a wrong key and no key are rejected with 401.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startServer } from './lib/server.mjs';
import {
  SseStream,
  caFetch,
  findLeakedKeys,
  genCert,
  initializeRequest,
  makeKey,
  makeTempDir,
  removeDir,
  withTimeout,
} from './lib/harness.mjs';

const KEY1 = makeKey('sdk-one');
const KEY2 = makeKey('sdk-two');
const WRONG = makeKey('sdk-wrong');
const T = 15000;

let dir;
let plain;
let secure;
let cert;
let trusted;

before(async () => {
  dir = await makeTempDir('sdk');
  cert = await genCert(dir, 'localhost');
  trusted = caFetch(cert.certPem);
  const env = { AWS_REGION: 'us-east-1', MCP_API_KEY: `${KEY1},${KEY2}` };
  plain = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], { env });
  secure = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: { ...env, SSL_CERTFILE: cert.cert, SSL_KEYFILE: cert.key },
  });
});

after(async () => {
  const codes = [await plain?.stop(), await secure?.stop()];
  trusted?.close();
  await removeDir(dir);
  assert.deepEqual(codes, [0, 0], 'both servers exit 0 on SIGTERM');
});

// A fetch that records every response status (and WWW-Authenticate) the client saw.
function recordingFetch(base) {
  const seen = [];
  const f = async (url, init) => {
    const res = await base(url, init);
    seen.push({ method: init?.method ?? 'GET', url: String(url), status: res.status, wwwAuth: res.headers.get('www-authenticate') });
    return res;
  };
  return { fetch: f, seen };
}

const transports = {
  sse: { path: '/sse', make: (url, opts) => new SSEClientTransport(url, opts) },
  'streamable-http': { path: '/mcp', make: (url, opts) => new StreamableHTTPClientTransport(url, opts) },
};
const schemes = {
  'plain HTTP': { server: () => plain, fetch: () => globalThis.fetch.bind(globalThis), scheme: 'http' },
  'direct TLS (gen-cert certificate, custom CA)': { server: () => secure, fetch: () => trusted.fetch, scheme: 'https' },
};
const goodKeys = {
  'Authorization: Bearer': () => ({ Authorization: `Bearer ${KEY1}` }),
  'X-API-Key (second key of two)': () => ({ 'X-API-Key': KEY2 }),
};
const badKeys = {
  'a wrong Bearer key': () => ({ Authorization: `Bearer ${WRONG}` }),
  'a wrong X-API-Key': () => ({ 'X-API-Key': WRONG }),
  'a prefix of a right key': () => ({ Authorization: `Bearer ${KEY1.slice(0, -1)}` }),
  'no key': () => ({}),
};

for (const [tname, t] of Object.entries(transports)) {
  for (const [sname, s] of Object.entries(schemes)) {
    describe(`${tname} over ${sname}`, () => {
      for (const [kname, headers] of Object.entries(goodKeys)) {
        test(`with ${kname} the SDK client connects, lists tools, pings and closes`, async () => {
          const server = s.server();
          const url = new URL(`${server.url}${t.path}`);
          assert.equal(url.protocol, `${s.scheme}:`, `the server announced ${s.scheme}`);
          const rec = recordingFetch(s.fetch());
          const transport = t.make(url, { fetch: rec.fetch, requestInit: { headers: headers() } });
          const client = new Client({ name: 'e2e-sdk-auth-tls', version: '1.0.0' });
          try {
            await withTimeout(client.connect(transport), T, `${tname} connect (initialize)`);
            assert.equal(client.getServerVersion()?.name, 'cloudwatch-applicationsignals-mcp-server');
            assert.ok(client.getServerCapabilities()?.tools, 'tools capability declared');
            const page = await withTimeout(client.listTools({}), T, 'tools/list');
            assert.ok(Array.isArray(page.tools), 'tools/list returns a tools array');
            const pong = await withTimeout(client.ping(), T, 'ping');
            assert.deepEqual(pong, {}, 'ping answers with an empty result');
            assert.ok(
              rec.seen.every((r) => r.status < 400),
              `no request was rejected: ${JSON.stringify(rec.seen)}`,
            );
            if (tname === 'sse') {
              assert.ok(rec.seen.some((r) => r.method === 'POST' && r.status === 202), 'messages were accepted with 202');
            }
          } finally {
            await withTimeout(client.close(), T, 'client.close');
          }
        });
      }

      for (const [kname, headers] of Object.entries(badKeys)) {
        test(`with ${kname} the connection is rejected with 401 and a Bearer challenge`, async () => {
          const server = s.server();
          const rec = recordingFetch(s.fetch());
          const transport = t.make(new URL(`${server.url}${t.path}`), { fetch: rec.fetch, requestInit: { headers: headers() } });
          const client = new Client({ name: 'e2e-sdk-auth-tls', version: '1.0.0' });
          try {
            await assert.rejects(withTimeout(client.connect(transport), T, `${tname} connect with ${kname}`), (err) => {
              assert.doesNotMatch(String(err.message), /timed out/, 'rejected, not hung');
              return true;
            });
            assert.ok(rec.seen.length > 0, 'the client reached the server');
            assert.ok(rec.seen.every((r) => r.status === 401), `every request got 401: ${JSON.stringify(rec.seen)}`);
            assert.match(rec.seen[0].wwwAuth ?? '', /^Bearer realm="appsignals-mcp"/);
          } finally {
            await client.close().catch(() => {});
          }
        });
      }
    });
  }
}

test('the TLS port does not answer plain HTTP (no silent fallback)', async () => {
  const port = secure.port;
  await assert.rejects(
    withTimeout(fetch(`http://127.0.0.1:${port}/health`), T, 'plain HTTP to the TLS port'),
    (err) => !/timed out/.test(err.message),
  );
});

test('the TLS certificate is not trusted without the custom CA (the CA is what makes it work)', async () => {
  await assert.rejects(
    withTimeout(fetch(`${secure.url}/health`), T, 'https without the CA'),
    (err) => /certificate|self[- ]signed/i.test(`${err.message} ${err.cause?.code ?? ''} ${err.cause?.message ?? ''}`),
  );
});

test('the servers never log a configured or presented key', () => {
  for (const s of [plain, secure]) {
    assert.deepEqual(findLeakedKeys(s.output(), [KEY1, KEY2, WRONG]), [], `no key in the log:\n${s.output()}`);
  }
});

// The product has no tools yet; the conformance fixture (same HTTP server and MCP core, legacy
// SSE included) shows that a tool call, its progress notifications and its log messages travel
// over /sse like over /mcp.
test('over SSE, tools/call answers and its progress notifications precede the result (conformance server, same core)', async () => {
  const conf = await startServer('mcp-conformance-server', ['--port', '0']);
  const client = new Client({ name: 'e2e-sdk-sse-tools', version: '1.0.0' });
  try {
    await withTimeout(client.connect(new SSEClientTransport(new URL(`${conf.url}/sse`))), T, 'connect to /sse');
    const { tools } = await withTimeout(client.listTools({}), T, 'tools/list');
    assert.ok(tools.some((t) => t.name === 'test_tool_with_progress'), 'fixture tools are listed');

    const text = await withTimeout(client.callTool({ name: 'test_simple_text', arguments: {} }), T, 'tools/call test_simple_text');
    assert.equal(text.isError ?? false, false);
    assert.equal(text.content?.[0]?.text, 'This is a simple text response for testing.');

    const progress = [];
    const result = await withTimeout(
      client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, { onprogress: (p) => progress.push(p.progress) }),
      T,
      'tools/call test_tool_with_progress',
    );
    assert.equal(result.isError ?? false, false);
    // The SDK 1.32.2 client dispatches notifications a microtask late but responses at once, so
    // a final progress that shares a network read with the result is dropped client-side
    // (typescript-sdk#2580). The wire order itself is checked exactly in the next test.
    assert.ok(progress.length >= 2, `progress notifications reached the client: ${progress}`);
    assert.deepEqual(progress, [0, 50, 100].slice(0, progress.length), 'in order');

    // The wire: every progress notification precedes the result on the /sse stream.
    const stream = await SseStream.open(`${conf.url}/sse`);
    try {
      const endpoint = (await stream.next(() => true, { what: 'the endpoint event' })).data;
      const post = async (msg) => {
        const res = await withTimeout(
          fetch(`${conf.url}${endpoint}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(msg) }),
          T,
          `POST ${msg.method}`,
        );
        assert.equal(res.status, 202);
        await res.text();
      };
      await post(initializeRequest(1));
      await stream.nextMessage(1);
      await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
      await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'tok-7' } } });
      const seen = [];
      for (;;) {
        const m = JSON.parse((await stream.next(() => true, { what: 'the tool call events' })).data);
        if (m.method === 'notifications/progress') {
          assert.equal(m.params.progressToken, 'tok-7', 'progress echoes the client token');
          seen.push(m.params.progress);
        } else if (m.id === 2) {
          seen.push('result');
          break;
        }
      }
      assert.deepEqual(seen, [0, 50, 100, 'result']);
    } finally {
      stream.close();
    }
  } finally {
    await client.close().catch(() => {});
    const code = await conf.stop();
    assert.equal(code, 0, 'the conformance server exits 0');
  }
});
