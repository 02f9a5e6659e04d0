// MCP Inspector's CLI lists our tools against the sample account with --strict: its schema
// portability lint (one `type` per property, no unions, nothing a single-type dialect such as
// Gemini's function declarations would drop) must find nothing, not even a warning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { e2eDir, makeTempDir, removeDir, run } from './lib/harness.mjs';

const nodeBinDir = path.join(e2eDir, 'node_modules', '.bin');
const inspector = path.join(nodeBinDir, 'mcp-inspector');

let server;
let home;

before(async () => {
  home = await makeTempDir('inspector-schema');
  server = await startServer('appsignals-mcp', ['demo', '--port', '0'], { env: { MCP_API_KEY: undefined } });
});

after(async () => {
  await server?.stop();
  await removeDir(home);
});

test('tools/list passes the Inspector schema portability lint with no finding', async () => {
  const r = await run(
    process.execPath,
    [inspector, '--cli', `${server.url}/mcp`, '--method', 'tools/list', '--format', 'json', '--strict'],
    { env: { ...process.env, HOME: home, MCP_INSPECTOR_SECRET_STORE: 'memory' }, replaceEnv: true, timeoutMs: 30000 },
  );
  assert.equal(r.code, 0, `inspector exited ${r.code}:\n${r.stderr}`);
  const envelope = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.ok(Array.isArray(envelope.result?.tools), r.stdout.slice(0, 500));
  assert.ok(envelope.result.tools.length >= 16, `only ${envelope.result.tools.length} tools`);
  assert.equal(envelope.schemaFindings, undefined, `portability findings:\n${JSON.stringify(envelope.schemaFindings, null, 2)}`);
  assert.doesNotMatch(r.stderr, /Schema portability/);
});
