// `mcp-remote <url>/sse --transport sse-only --header "Authorization: Bearer <key>"` as the
// stdio bridge desktop clients spawn, against `appsignals-mcp serve` over plain HTTP and over
// direct TLS (gen-cert certificate trusted with NODE_EXTRA_CA_CERTS): JSON-RPC lines in on
// stdin, replies out on stdout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { e2eDir, findLeakedKeys, genCert, makeKey, makeTempDir, removeDir, withTimeout } from './lib/harness.mjs';

const KEY = makeKey('remote');
const T = 20000;
const nodeBinDir = path.join(e2eDir, 'node_modules', '.bin');
const mcpRemote = path.join(nodeBinDir, 'mcp-remote');

let dir;
let cert;
let plain;
let secure;
const bridges = new Set();

before(async () => {
  dir = await makeTempDir('mcp-remote');
  cert = await genCert(dir, 'localhost');
  const env = { AWS_REGION: 'us-east-1', MCP_API_KEY: KEY };
  plain = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], { env });
  secure = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: { ...env, SSL_CERTFILE: cert.cert, SSL_KEYFILE: cert.key },
  });
});

after(async () => {
  for (const b of bridges) b.kill('SIGKILL');
  const codes = [await plain?.stop(), await secure?.stop()];
  await removeDir(dir);
  assert.deepEqual(codes, [0, 0], 'both servers exit 0 on SIGTERM');
  for (const s of [plain, secure]) {
    assert.deepEqual(findLeakedKeys(s.output(), [KEY]), [], `no key in the server log:\n${s.output()}`);
  }
});

// Spawns mcp-remote as a stdio bridge; resolves replies by JSON-RPC id from its stdout.
function startBridge(url, extraEnv = {}) {
  const home = path.join(dir, `home-${bridges.size}`);
  const proc = spawn(
    process.execPath,
    [mcpRemote, url, '--transport', 'sse-only', '--header', `Authorization: Bearer ${KEY}`],
    {
      env: {
        ...process.env,
        PATH: `${nodeBinDir}:${process.env.PATH}`,
        HOME: home,
        MCP_REMOTE_CONFIG_DIR: path.join(home, '.mcp-auth'),
        ...extraEnv,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  bridges.add(proc);
  let stdout = '';
  let stderr = '';
  const messages = [];
  const waiters = [];
  const dispatch = () => {
    for (const w of [...waiters]) {
      const m = messages.find((x) => x.id === w.id && ('result' in x || 'error' in x));
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout.on('data', (chunk) => {
    stdout += chunk;
    let nl;
    while ((nl = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, nl).trim();
      stdout = stdout.slice(nl + 1);
      if (!line) continue;
      try {
        messages.push(JSON.parse(line));
      } catch {
        messages.push({ unparsable: line });
      }
    }
    dispatch();
  });
  proc.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    messages,
    stderr: () => stderr,
    send: (msg) => proc.stdin.write(`${JSON.stringify(msg)}\n`),
    reply: (id) =>
      withTimeout(
        Promise.race([
          new Promise((resolve) => {
            waiters.push({ id, resolve });
            dispatch();
          }),
          exited.then(({ code, signal }) => {
            throw new Error(`mcp-remote exited (${code ?? signal}) before replying to id ${id}:\n${stderr}`);
          }),
        ]),
        T,
        `mcp-remote reply to id ${id} (stderr so far:\n${stderr})`,
      ),
    stop: async () => {
      proc.stdin.end();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await withTimeout(exited, 5000, 'mcp-remote exit').catch(() => proc.kill('SIGKILL'));
      bridges.delete(proc);
    },
  };
}

async function exercise(server, extraEnv) {
  const bridge = startBridge(`${server.url}/sse`, extraEnv);
  try {
    bridge.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'e2e-desktop', version: '1.0.0' } },
    });
    const init = await bridge.reply(1);
    assert.ok(init.result, `initialize succeeded: ${JSON.stringify(init)}`);
    assert.equal(init.result.serverInfo?.name, 'cloudwatch-applicationsignals-mcp-server');
    assert.ok(init.result.capabilities?.tools, 'tools capability declared');

    bridge.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    bridge.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const list = await bridge.reply(2);
    assert.ok(Array.isArray(list.result?.tools), `tools/list result: ${JSON.stringify(list)}`);

    bridge.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    assert.deepEqual((await bridge.reply(3)).result, {});

    assert.ok(!bridge.messages.some((m) => m.unparsable), `stdout carries only JSON-RPC: ${JSON.stringify(bridge.messages)}`);
  } finally {
    await bridge.stop();
  }
  return bridge;
}

test('mcp-remote --transport sse-only bridges initialize, tools/list and ping to /sse over plain HTTP with a Bearer key', async () => {
  const before = plain.output().length;
  await exercise(plain);
  assert.doesNotMatch(plain.output().slice(before), /\b401\b|unauthori[sz]ed/i, 'the key was accepted');
});

test('mcp-remote --transport sse-only bridges to /sse over direct TLS trusting the gen-cert certificate', async () => {
  await exercise(secure, { NODE_EXTRA_CA_CERTS: cert.cert });
});
