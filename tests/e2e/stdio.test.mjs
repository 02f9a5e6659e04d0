// `appsignals-mcp stdio`: newline-delimited JSON-RPC on stdin/stdout, logs on stderr only, a
// clean exit at EOF (what desktop clients spawn locally).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appBin, initializeRequest, withTimeout } from './lib/harness.mjs';

test('stdio answers initialize, tools/list and ping on stdout (JSON lines only) and exits 0 at EOF', async () => {
  const proc = spawn(appBin, ['stdio'], { env: { ...process.env, AWS_REGION: 'us-east-1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    let out = '';
    let err = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (err += c));
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    const lines = [
      initializeRequest(1, '2025-06-18'),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { jsonrpc: '2.0', id: 3, method: 'ping' },
    ];
    proc.stdin.end(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const { code, signal } = await withTimeout(exited, 10000, 'appsignals-mcp stdio exit at EOF');
    assert.equal(signal, null);
    assert.equal(code, 0, `exits 0 at EOF; stderr:\n${err}`);
    const msgs = out.split('\n').filter(Boolean).map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        assert.fail(`stdout line is not JSON: ${l}`);
      }
    });
    // Requests run concurrently: replies may come in any order (JSON-RPC matches them by id).
    msgs.sort((a, b) => a.id - b.id);
    assert.deepEqual(msgs.map((m) => m.id), [1, 2, 3], 'one reply per request, nothing else on stdout');
    assert.equal(msgs[0].result?.serverInfo?.name, 'cloudwatch-applicationsignals-mcp-server');
    assert.equal(msgs[0].result?.protocolVersion, '2025-06-18');
    assert.ok(Array.isArray(msgs[1].result?.tools));
    assert.deepEqual(msgs[2].result, {});
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
});
