// mcp-remote and the MCP Inspector CLI against `appsignals-mcp serve` with MCP_API_KEY, without a
// key, with a wrong key and with the right one.
//
// Both clients answer any 401 by starting OAuth: protected-resource and authorization-server
// discovery under /.well-known/ (our 404, no key needed), then dynamic client registration at
// POST /register (our 401) whose body they print. So without a usable key each client must exit
// within the timeout with the server's message, "API key required" or "API key rejected", not
// wait for a browser sign-in; with the key each lists the tools.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { e2eDir, findLeakedKeys, initializeRequest, makeKey, makeTempDir, removeDir, run, withTimeout } from './lib/harness.mjs';

const KEY = makeKey('clients');
const WRONG = makeKey('clients-wrong');
const T = 20000;
const nodeBinDir = path.join(e2eDir, 'node_modules', '.bin');
const mcpRemote = path.join(nodeBinDir, 'mcp-remote');
const inspector = path.join(nodeBinDir, 'mcp-inspector');

let home;
let server;
const procs = new Set();

before(async () => {
  home = await makeTempDir('auth-clients');
  server = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
    env: { AWS_REGION: 'us-east-1', MCP_API_KEY: KEY, MCP_API_KEY_FILE: undefined },
  });
});

after(async () => {
  for (const p of procs) p.kill('SIGKILL');
  const code = await server?.stop();
  await removeDir(home);
  assert.equal(code, 0, 'the server exits 0 on SIGTERM');
  assert.deepEqual(findLeakedKeys(server.output(), [KEY, WRONG]), [], `no key in the server log:\n${server.output()}`);
});

// The clients keep their state (OAuth client registrations, tokens, catalogs) under a
// throw-away home, never the user's.
function clientEnv(extra = {}) {
  return {
    ...process.env,
    PATH: `${nodeBinDir}:${process.env.PATH}`,
    HOME: home,
    MCP_REMOTE_CONFIG_DIR: path.join(home, '.mcp-auth'),
    MCP_INSPECTOR_SECRET_STORE: 'memory',
    ...extra,
  };
}

const auth = {
  none: [],
  wrong: ['--header', `Authorization: Bearer ${WRONG}`],
  right: ['--header', `Authorization: Bearer ${KEY}`],
};

// mcp-remote as the stdio bridge a desktop client spawns: stdin stays open, JSON-RPC lines in
// and out. Resolves replies by id; `exited` settles when the process ends.
function startBridge(url, args) {
  const proc = spawn(process.execPath, [mcpRemote, url, ...args], { env: clientEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  procs.add(proc);
  let out = '';
  let err = '';
  const messages = [];
  const waiters = [];
  const dispatch = () => {
    for (const w of [...waiters]) {
      const m = messages.find((x) => x.id === w.id);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout.on('data', (chunk) => {
    out += chunk;
    let nl;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl).trim();
      out = out.slice(nl + 1);
      if (line) messages.push(JSON.parse(line));
    }
    dispatch();
  });
  proc.stderr.on('data', (chunk) => (err += chunk));
  const exited = new Promise((resolve) =>
    proc.once('exit', (code, signal) => {
      procs.delete(proc);
      resolve({ code, signal });
    }),
  );
  return {
    messages,
    stderr: () => err,
    exited: (what) => withTimeout(exited, T, `${what} (stderr so far:\n${err})`),
    send: (msg) => proc.stdin.write(`${JSON.stringify(msg)}\n`),
    reply: (id) =>
      withTimeout(
        Promise.race([
          new Promise((resolve) => {
            waiters.push({ id, resolve });
            dispatch();
          }),
          exited.then(({ code }) => {
            throw new Error(`mcp-remote exited (${code}) before replying to ${id}:\n${err}`);
          }),
        ]),
        T,
        `mcp-remote reply to ${id} (stderr so far:\n${err})`,
      ),
    stop: async () => {
      proc.stdin.end();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

// The Inspector CLI, one method per run: { code, signal, stdout, stderr, error } where `error`
// is the JSON error line it writes to stderr on failure.
async function inspect(url, args, extraEnv = {}) {
  const r = await run(process.execPath, [inspector, '--cli', url, '--method', 'tools/list', '--format', 'json', ...args], {
    env: clientEnv(extraEnv),
    replaceEnv: true,
    timeoutMs: T,
  });
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"error"'));
  return { ...r, error: line ? JSON.parse(line).error : undefined };
}

describe('mcp-remote', () => {
  for (const [transport, urlPath, extra] of [
    ['Streamable HTTP (default http-first)', '/mcp', []],
    ['legacy SSE (--transport sse-only)', '/sse', ['--transport', 'sse-only']],
  ]) {
    test(`over ${transport} without a key it exits at once, printing "API key required" and the 401`, async () => {
      const bridge = startBridge(`${server.url}${urlPath}`, [...auth.none, ...extra]);
      bridge.send(initializeRequest(1, '2025-06-18'));
      const { code, signal } = await bridge.exited('mcp-remote exit without a key');
      assert.equal(signal, null);
      assert.notEqual(code, 0, 'mcp-remote fails');
      const err = bridge.stderr();
      assert.match(err, /API key required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'/);
      assert.match(err, /HTTP 401/);
      assert.doesNotMatch(err, /Authentication required\. Waiting for authorization/, 'no browser sign-in is awaited');
      assert.doesNotMatch(err, /falling-back-to-alternate-transport/, 'no pointless transport fallback');
      assert.ok(!bridge.messages.some((m) => m.result), 'nothing was served');
    });
  }

  test('with a wrong key it exits at once, printing "API key rejected"', async () => {
    const bridge = startBridge(`${server.url}/mcp`, auth.wrong);
    bridge.send(initializeRequest(1, '2025-06-18'));
    const { code } = await bridge.exited('mcp-remote exit with a wrong key');
    assert.notEqual(code, 0);
    assert.match(bridge.stderr(), /API key rejected/);
    assert.match(bridge.stderr(), /HTTP 401/);
  });

  test('with --header "Authorization: Bearer <key>" it bridges initialize and tools/list', async () => {
    const bridge = startBridge(`${server.url}/mcp`, auth.right);
    try {
      bridge.send(initializeRequest(1, '2025-06-18'));
      const init = await bridge.reply(1);
      assert.equal(init.result?.serverInfo?.name, 'cloudwatch-applicationsignals-mcp-server', JSON.stringify(init));
      bridge.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      bridge.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const list = await bridge.reply(2);
      assert.ok(list.result?.tools?.length > 0, `tools/list: ${JSON.stringify(list).slice(0, 500)}`);
    } finally {
      await bridge.stop();
    }
  });
});

describe('MCP Inspector CLI', () => {
  // --stored-auth-only is the Inspector's mode for scripts ("never start interactive OAuth"):
  // it reports the server's 401 body as it is.
  test('without a key (--stored-auth-only) it exits 3 (auth required) with "API key required"', async () => {
    const r = await inspect(`${server.url}/mcp`, ['--stored-auth-only', ...auth.none]);
    assert.equal(r.signal, null, 'exited before the timeout');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.error?.code, 'auth_required', r.stderr);
    assert.match(r.error.message, /API key required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'/);
  });

  test('with a wrong key (--stored-auth-only) it exits 3 with "API key rejected"', async () => {
    const r = await inspect(`${server.url}/mcp`, ['--stored-auth-only', ...auth.wrong]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.error?.message ?? '', /API key rejected/, r.stderr);
  });

  // What a person at a terminal gets: the interactive OAuth path (forced without a TTY by
  // MCP_AUTO_OPEN_ENABLED) ends at the registration endpoint, whose 401 names the key, before
  // any browser is opened.
  test('without a key on the interactive path it exits 3 with the 401 naming the API key, opening no browser', async () => {
    const r = await inspect(`${server.url}/mcp`, auth.none, { MCP_AUTO_OPEN_ENABLED: 'true' });
    assert.equal(r.signal, null, 'exited before the timeout');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.error?.status, 401, r.stderr);
    assert.match(r.error?.message ?? '', /\(HTTP 401\).*API key required/, r.stderr);
  });

  // Without a TTY and without --stored-auth-only the Inspector refuses interactive OAuth itself,
  // before asking the server anything beyond the first 401: fast, but its own words.
  test('without a key and without a TTY it exits 3 (auth_required) at once', async () => {
    const r = await inspect(`${server.url}/mcp`, auth.none);
    assert.equal(r.signal, null, 'exited before the timeout');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.error?.code, 'auth_required', r.stderr);
  });

  for (const [how, args] of [
    ['--header "Authorization: Bearer <key>"', auth.right],
    ['--header "X-API-Key: <key>"', ['--header', `X-API-Key: ${KEY}`]],
  ]) {
    test(`with ${how} it lists the tools`, async () => {
      const r = await inspect(`${server.url}/mcp`, args);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.ok(out.result?.tools?.length > 0, r.stdout.slice(0, 500));
    });
  }

  test('over legacy SSE (--transport sse) with the key it lists the tools', async () => {
    const r = await inspect(`${server.url}/sse`, ['--transport', 'sse', ...auth.right]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).result?.tools?.length > 0, r.stdout.slice(0, 500));
  });
});
