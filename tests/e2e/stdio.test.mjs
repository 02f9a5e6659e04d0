// `appsignals-mcp stdio`: newline-delimited JSON-RPC on stdin/stdout, logs on stderr only, a
// clean exit at EOF (what desktop clients spawn locally); and the README's recipe: stdio with
// the environment `appsignals-mcp fakeaws` prints, against the sample account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appBin, initializeRequest, withTimeout } from './lib/harness.mjs';

// Runs `appsignals-mcp stdio` with `env`, writes `lines` and closes stdin; resolves with the
// replies sorted by id once it exits.
async function stdioSession(env, lines) {
  const proc = spawn(appBin, ['stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    let out = '';
    let err = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (err += c));
    // 'close': the process has exited and its stdout has been read to the end.
    const exited = new Promise((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
    proc.stdin.end(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const { code, signal } = await withTimeout(exited, 15000, 'appsignals-mcp stdio exit at EOF');
    const msgs = out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return assert.fail(`stdout line is not JSON: ${l}`);
        }
      })
      .sort((a, b) => a.id - b.id);
    return { code, signal, msgs, err };
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}

test('stdio answers initialize, tools/list and ping on stdout (JSON lines only) and exits 0 at EOF', async () => {
  const { code, signal, msgs, err } = await stdioSession({ ...process.env, AWS_REGION: 'us-east-1' }, [
    initializeRequest(1, '2025-06-18'),
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    { jsonrpc: '2.0', id: 3, method: 'ping' },
  ]);
  assert.equal(signal, null);
  assert.equal(code, 0, `exits 0 at EOF; stderr:\n${err}`);
  // Requests run concurrently: replies may come in any order (JSON-RPC matches them by id).
  assert.deepEqual(msgs.map((m) => m.id), [1, 2, 3], 'one reply per request, nothing else on stdout');
  assert.equal(msgs[0].result?.serverInfo?.name, 'cloudwatch-applicationsignals-mcp-server');
  assert.equal(msgs[0].result?.protocolVersion, '2025-06-18');
  assert.ok(Array.isArray(msgs[1].result?.tools));
  assert.deepEqual(msgs[2].result, {});
});

test('README recipe: stdio with the export lines of `appsignals-mcp fakeaws` answers from the sample account', async () => {
  const fake = spawn(appBin, ['fakeaws', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
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
    // Only what the recipe gives the client: the printed variables (and a loopback NO_PROXY).
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1',
                  AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    for (const [, name, value] of exports.matchAll(/^export (\w+)=(\S+)$/gm)) env[name] = value;
    assert.ok(env.AWS_ENDPOINT_URL && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && env.AWS_REGION, exports);
    const { code, msgs, err } = await stdioSession(env, [
      initializeRequest(1, '2025-06-18'),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_monitored_services', arguments: {} } },
    ]);
    assert.equal(code, 0, err);
    const call = msgs.find((m) => m.id === 2);
    assert.equal(call?.result?.isError ?? false, false, JSON.stringify(call));
    assert.match(call.result.content[0].text, /frontend/, 'a service of the sample account');
  } finally {
    fake.kill('SIGTERM');
  }
});
