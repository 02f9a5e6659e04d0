// The 2026-07-28 era ("modern", stateless) on /mcp, with the official TypeScript SDK v2 client
// (@modelcontextprotocol/client 2.4.0) and MCP Inspector's CLI against `appsignals-mcp demo`
// (the server on the built-in sample account):
// - pinned to 2026-07-28: server/discover, tools/list, a tool call that reaches (the fake) AWS,
//   and create_instrumentation, which asks for confirmation with input_required and completes
//   when the client retries with the answer (and creates nothing when the user declines);
// - the same client in `auto` mode;
// - Inspector `--protocol-era modern` lists and calls tools;
// - two server processes behind one loopback round-robin proxy: an input_required round
//   started on one completes on the other (shared MCP_STATE_KEY), and is refused by an
//   instance with another key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startServer } from './lib/server.mjs';
import { e2eDir, makeTempDir, removeDir, run } from './lib/harness.mjs';

const inspector = path.join(e2eDir, 'node_modules', '.bin', 'mcp-inspector');
const breakpoint = {
  instrumentation_type: 'breakpoint', service: 'checkout', environment: 'ecs:shop-cluster', language: 'js',
  file_path: 'src/checkout/cart.js', line_number: 57, capture_locals: '["cartTotal"]', ttl_hours: 2,
};

let server;
let home;

before(async () => {
  home = await makeTempDir('modern-era');
  server = await startServer('appsignals-mcp', ['demo', '--port', '0'], { env: { MCP_API_KEY: undefined } });
});

after(async () => {
  const code = await server?.stop();
  await removeDir(home);
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
});

// A v2 client; `answers` counts the confirmations it gave.
async function connect(url, mode, answers = { count: 0 }) {
  const client = new Client({ name: 'e2e-v2-client', version: '1.0.0' },
    { capabilities: { elicitation: {} }, versionNegotiation: { mode } });
  client.setRequestHandler('elicitation/create', async () => {
    answers.count += 1;
    return { action: 'accept', content: { confirm: true } };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
}

test('TS v2 client pinned to 2026-07-28: discover, list, call AWS, input_required round', async () => {
  const answers = { count: 0 };
  const client = await connect(server.url, { pin: '2026-07-28' }, answers);
  assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
  const discovered = await client.discover();
  assert.deepEqual(discovered.supportedVersions, ['2026-07-28']);
  assert.ok(discovered.capabilities.tools, 'tools capability');
  assert.equal(discovered._meta?.['io.modelcontextprotocol/serverInfo']?.name, 'cloudwatch-applicationsignals-mcp-server');

  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  assert.ok(tools.some((t) => t.name === 'list_monitored_services'));

  const services = await client.callTool({ name: 'list_monitored_services', arguments: {} });
  assert.notEqual(services.isError, true, JSON.stringify(services));
  assert.match(services.content[0].text, /payments/);

  // create_instrumentation answers input_required; the client asks its handler and retries.
  const created = await client.callTool({ name: 'create_instrumentation', arguments: breakpoint });
  assert.notEqual(created.isError, true, JSON.stringify(created));
  assert.match(created.content[0].text, /Created a BREAKPOINT for checkout/);
  assert.equal(answers.count, 1, 'the confirmation was asked once');
  await client.close();
});

test('a declined confirmation creates nothing', async () => {
  const client = new Client({ name: 'e2e-v2-client', version: '1.0.0' },
    { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', async () => ({ action: 'decline' }));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
  const declined = await client.callTool({ name: 'create_instrumentation', arguments: { ...breakpoint, line_number: 58 } });
  assert.equal(declined.isError, true, JSON.stringify(declined));
  assert.match(declined.content[0].text, /nothing was created: the user did not confirm/);
  const listed = await client.callTool({ name: 'list_instrumentations', arguments: { service: 'checkout', environment: 'ecs:shop-cluster', instrumentation_type: 'BREAKPOINT' } });
  assert.doesNotMatch(listed.content[0].text, /line 58\b/, 'the declined breakpoint was not placed');
  await client.close();
});

test('the same client in auto mode still works', async () => {
  const client = await connect(server.url, 'auto');
  assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28', 'auto picks the modern era when discover answers');
  const services = await client.callTool({ name: 'list_monitored_services', arguments: {} });
  assert.notEqual(services.isError, true, JSON.stringify(services));
  assert.match(services.content[0].text, /checkout/);
  await client.close();
});

async function inspect(url, args) {
  return run(process.execPath, [inspector, '--cli', `${url}/mcp`, '--transport', 'http', '--protocol-era', 'modern',
    '--format', 'json', ...args],
  { env: { ...process.env, HOME: home, MCP_INSPECTOR_SECRET_STORE: 'memory' }, replaceEnv: true, timeoutMs: 30000 });
}

test('MCP Inspector CLI --protocol-era modern lists and calls tools', async () => {
  const list = await inspect(server.url, ['--method', 'tools/list']);
  assert.equal(list.code, 0, `inspector exited ${list.code}:\n${list.stderr}`);
  const listed = JSON.parse(list.stdout.trim().split('\n').pop());
  assert.ok(listed.result.tools.some((t) => t.name === 'list_slis'), list.stdout.slice(0, 300));

  const call = await inspect(server.url, ['--method', 'tools/call', '--tool-name', 'list_monitored_services']);
  assert.equal(call.code, 0, `inspector exited ${call.code}:\n${call.stderr}`);
  const called = JSON.parse(call.stdout.trim().split('\n').pop());
  assert.match(JSON.stringify(called.result.content), /payments/);
});

// A loopback proxy that sends each request to the next backend in turn and records which.
function roundRobin(backends) {
  const served = [];
  let next = 0;
  const proxy = http.createServer((req, res) => {
    const backend = backends[next++ % backends.length];
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && body.length) {
        try { served.push({ port: backend.port, method: JSON.parse(body).method }); } catch { /* not JSON */ }
      }
      const headers = { ...req.headers, host: `127.0.0.1:${backend.port}` };
      const upstream = http.request({ host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers },
        (up) => {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
        });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      upstream.end(body);
    });
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${proxy.address().port}`,
    served,
    close: () => new Promise((r) => { proxy.closeAllConnections(); proxy.close(r); }),
  })));
}

test('an input_required round started on one process completes on the other', async () => {
  const env = { MCP_API_KEY: undefined, MCP_STATE_KEY: 'e2e-shared-state-key' };
  const a = await startServer('appsignals-mcp', ['demo', '--port', '0'], { env });
  const b = await startServer('appsignals-mcp', ['demo', '--port', '0'], { env });
  const proxy = await roundRobin([a, b]);
  try {
    const answers = { count: 0 };
    const client = await connect(proxy.url, { pin: '2026-07-28' }, answers);
    const before = proxy.served.length;
    const created = await client.callTool({ name: 'create_instrumentation', arguments: breakpoint });
    assert.notEqual(created.isError, true, JSON.stringify(created));
    assert.match(created.content[0].text, /Created a BREAKPOINT for checkout/);
    assert.equal(answers.count, 1);
    const rounds = proxy.served.slice(before).filter((s) => s.method === 'tools/call');
    assert.equal(rounds.length, 2, JSON.stringify(proxy.served));
    assert.notEqual(rounds[0].port, rounds[1].port, 'the two rounds were served by different processes');
    await client.close();
  } finally {
    await proxy.close();
    await a.stop();
    await b.stop();
  }
});

test('an instance with another state key refuses the round (the key is what lets instances share it)', async () => {
  const a = await startServer('appsignals-mcp', ['demo', '--port', '0'], { env: { MCP_API_KEY: undefined, MCP_STATE_KEY: 'key-one' } });
  const b = await startServer('appsignals-mcp', ['demo', '--port', '0'], { env: { MCP_API_KEY: undefined, MCP_STATE_KEY: 'key-two' } });
  const proxy = await roundRobin([a, b]);
  try {
    const client = await connect(proxy.url, { pin: '2026-07-28' });
    await assert.rejects(client.callTool({ name: 'create_instrumentation', arguments: breakpoint }),
      (e) => e.code === -32602 && /requestState/.test(e.message));
    await client.close();
  } finally {
    await proxy.close();
    await a.stop();
    await b.stop();
  }
});
