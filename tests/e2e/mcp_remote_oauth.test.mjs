// mcp-remote (the stdio bridge desktop clients spawn) completes the OAuth 2.1 flow against
// appsignals-mcp through a real authorization server (oidc-provider, lib/oidc_as.mjs): our 401,
// protected resource metadata, AS discovery, dynamic registration, authorization with PKCE in
// "the browser" (lib/fake_browser.mjs as $BROWSER, which the bundled xdg-open runs), token with
// `resource`, then initialize and tools/list through the bridge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { startAuthorizationServer } from './lib/oidc_as.mjs';
import { e2eDir, initializeRequest, makeTempDir, removeDir, withTimeout } from './lib/harness.mjs';

const T = 30000;
const nodeBinDir = path.join(e2eDir, 'node_modules', '.bin');
let as;
let server;
let home;

before(async () => {
  home = await makeTempDir('mcp-remote-oauth');
  as = await startAuthorizationServer();
  server = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: { AWS_REGION: 'us-east-1', MCP_API_KEY: undefined, MCP_API_KEY_FILE: undefined, MCP_OAUTH_ISSUER: as.issuer },
  });
});

after(async () => {
  const code = await server?.stop();
  await as?.stop();
  await removeDir(home);
  assert.equal(code, 0);
});

// A free loopback port for mcp-remote's callback listener.
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test('mcp-remote signs in through the authorization server and bridges tools/list', async () => {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(nodeBinDir, 'mcp-remote'), `${server.url}/mcp`, String(port)], {
    env: {
      ...process.env,
      PATH: `${nodeBinDir}:${process.env.PATH}`,
      HOME: home,
      MCP_REMOTE_CONFIG_DIR: path.join(home, '.mcp-auth'),
      BROWSER: path.join(e2eDir, 'lib', 'fake_browser.mjs'),
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const messages = [];
  proc.stderr.on('data', (c) => (err += c));
  const waiters = [];
  proc.stdout.on('data', (chunk) => {
    out += chunk;
    let nl;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl).trim();
      out = out.slice(nl + 1);
      if (line) messages.push(JSON.parse(line));
    }
    for (const w of [...waiters]) w();
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const waitFor = (id) =>
    withTimeout(
      Promise.race([
        new Promise((resolve) => {
          const check = () => {
            const m = messages.find((x) => x.id === id);
            if (m) resolve(m);
          };
          waiters.push(check);
          check();
        }),
        exited.then((code) => {
          throw new Error(`mcp-remote exited ${code}:\n${err}`);
        }),
      ]),
      T,
      `mcp-remote reply ${id} (stderr:\n${err})`,
    );
  try {
    proc.stdin.write(`${JSON.stringify(initializeRequest(1, '2025-06-18'))}\n`);
    const init = await waitFor(1);
    assert.equal(init.result?.serverInfo?.name, 'cloudwatch-applicationsignals-mcp-server', JSON.stringify(init));
    proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
    const list = await waitFor(2);
    assert.ok(list.result?.tools?.some((t) => t.name === 'list_monitored_services'), JSON.stringify(list).slice(0, 300));
    assert.match(err, /Authentication required|authoriz/i, 'the bridge went through the OAuth flow');
  } finally {
    proc.stdin.end();
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await exited;
  }
});
