// The official TypeScript SDK client (StreamableHTTPClientTransport) against
// `appsignals-mcp demo` (the server against the built-in sample account): initialize,
// tools/list, tool calls, DELETE of the session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startServer } from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer('appsignals-mcp', ['demo', '--port', '0'], { env: { MCP_API_KEY: undefined } });
});

after(async () => {
  const code = await server?.stop();
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
});

test('initialize, list tools, call a tool, delete the session', async () => {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`));
  const client = new Client({ name: 'e2e-sdk-client', version: '1.0.0' });
  await client.connect(transport);

  assert.ok(transport.sessionId, 'the server minted a session id');
  assert.match(transport.sessionId, /^[0-9a-f]{32}$/);
  assert.equal(client.getServerVersion()?.name, 'cloudwatch-applicationsignals-mcp-server');
  assert.ok(client.getServerCapabilities()?.tools, 'tools capability declared');

  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  for (const t of tools) {
    assert.equal(t.inputSchema.type, 'object', `${t.name} has an object input schema`);
    assert.ok(t.description?.length > 20, `${t.name} is described`);
  }

  const names = tools.map((t) => t.name);
  for (const expected of ['list_monitored_services', 'list_slis', 'audit_services', 'search_transaction_spans',
    'get_xray_trace', 'analyze_canary_failures', 'get_enablement_guide']) {
    assert.ok(names.includes(expected), `${expected} is served`);
  }

  // A tool call against the sample account.
  const services = await client.callTool({ name: 'list_monitored_services', arguments: {} });
  assert.notEqual(services.isError, true);
  assert.match(services.content[0].text, /payments/);
  assert.match(services.content[0].text, /checkout/);

  // A bad argument is a tool error that says what to fix, not a protocol error.
  const bad = await client.callTool({ name: 'query_sampled_traces', arguments: { start_time: 'the day before' } });
  assert.equal(bad.isError, true);
  assert.match(bad.content[0].text, /start_time/);

  // An unknown tool is a JSON-RPC invalid-params error naming the tool.
  await assert.rejects(
    client.callTool({ name: 'no_such_tool', arguments: {} }),
    (err) => err.code === -32602 && /no_such_tool/.test(err.message),
  );
  await client.ping();

  // DELETE ends the session; the same id is then unknown (404).
  const sessionId = transport.sessionId;
  await transport.terminateSession();
  const res = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'Mcp-Session-Id': sessionId,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
  });
  assert.equal(res.status, 404);
  await client.close();
});
