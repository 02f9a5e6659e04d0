// Cluster mode (MCP_REDIS_URL): redis-server and nginx (Debian packages) started here on free
// loopback ports, three `appsignals-mcp demo` instances behind nginx round-robin with no
// affinity. Which instance served each request is read from nginx's access log
// ($upstream_addr), so "the POSTs landed on every instance" is proven, not assumed.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startServer } from './lib/server.mjs';
import { SseStream, e2eDir, makeTempDir, removeDir, waitForOutput, withTimeout } from './lib/harness.mjs';
import { freePort, startRedis } from './lib/redis.mjs';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const JSON_CT = { 'Content-Type': 'application/json' };
const T = 15000;

// Polls `check` (an async predicate) until true or the deadline: for states that change on a
// clock of the product's (a heartbeat TTL, a reconnect back-off), never a fixed sleep.
async function eventually(check, what, timeoutMs = 25000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

async function startNginx(prefix, upstreamPorts, listenPort) {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: run \`make deps\` (Debian package nginx-light)`);
  for (const d of ['logs', 'tmp/client_body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) {
    await mkdir(path.join(prefix, d), { recursive: true });
  }
  const isRoot = process.getuid?.() === 0;
  const conf = `
${isRoot ? 'user root;' : ''}
daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr notice;
events { worker_connections 256; }
http {
  log_format up '$request_method $uri $status $upstream_addr';
  access_log ${prefix}/logs/access.log up;
  client_body_temp_path ${prefix}/tmp/client_body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  upstream mcp {
${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout;
    }
  }
}
`;
  const confPath = path.join(prefix, 'nginx.conf');
  await writeFile(confPath, conf);
  const proc = spawn(NGINX, ['-p', prefix, '-c', confPath, '-e', 'stderr'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const on = (c) => {
      output += c;
      if (/start worker process/.test(output)) resolve();
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.once('exit', (code) => reject(new Error(`nginx exited (${code}) at start:\n${output}`)));
  });
  await withTimeout(ready, T, 'nginx start-up');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return {
    accessLog: () => readFileSync(path.join(prefix, 'logs/access.log'), 'utf8'),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await withTimeout(exited, T, 'nginx exit').catch(() => proc.kill('SIGKILL'));
    },
  };
}

describe('three instances behind nginx round-robin, sessions in Redis', () => {
  let dir;
  let redis;
  let redisPort;
  const servers = [];
  let nginx;
  let base;

  const startInstance = (i) =>
    startServer('appsignals-mcp', ['demo', '--port', '0'], {
      env: { MCP_API_KEY: undefined, MCP_REDIS_URL: `redis://127.0.0.1:${redisPort}/0`, MCP_INSTANCE_ID: `inst-${i}` },
    });

  before(async () => {
    dir = await makeTempDir('cluster');
    await chmod(dir, 0o755);
    redisPort = await freePort();
    redis = await startRedis(path.join(dir, 'redis'), redisPort);
    for (let i = 1; i <= 3; i++) {
      const s = await startInstance(i);
      await waitForOutput(s, /Redis .* \(subscriber\) connected/);
      servers.push(s);
    }
    const listenPort = await freePort();
    nginx = await startNginx(path.join(dir, 'nginx'), servers.map((s) => s.port), listenPort);
    base = `http://127.0.0.1:${listenPort}`;
  });

  after(async () => {
    await nginx?.stop();
    const codes = [];
    for (const s of servers) codes.push(s.proc.exitCode !== null || s.proc.signalCode ? 'killed' : await s.stop());
    await redis?.kill();
    await removeDir(dir);
    assert.deepEqual(codes, [0, 0, 'killed'], 'the surviving instances exit 0 on SIGTERM (with Redis, after it restarted)');
  });

  // The upstream ports that served requests matching `re` in nginx's access log (from line `from`).
  const upstreams = (re, from = 0) =>
    new Set(nginx.accessLog().split('\n').slice(from).filter((l) => re.test(l)).map((l) => l.split(' ').pop()));
  const logLines = () => nginx.accessLog().split('\n').length - 1;

  test('SDK client over legacy SSE: 50 tool calls whose POSTs land on every instance', async () => {
    const from = logLines();
    const client = new Client({ name: 'e2e-cluster-sse', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${base}/sse`)));
    assert.equal(client.getServerVersion()?.name, 'cloudwatch-applicationsignals-mcp-server');
    for (let i = 0; i < 50; i++) {
      const r = await withTimeout(client.callTool({ name: 'list_monitored_services', arguments: {} }), T, `tool call ${i}`);
      assert.notEqual(r.isError, true, `call ${i} succeeded`);
      assert.match(r.content[0].text, /checkout|payment|frontend/i, `call ${i} carries the services`);
    }
    const ping = await client.ping();
    assert.deepEqual(ping, {});
    await client.close();
    const posts = upstreams(/^POST \/messages\/ 202 /, from);
    assert.equal(posts.size, 3, `POSTs served by all three instances: ${[...posts]}`);
  });

  test('raw legacy SSE: replies arrive on the stream in the order the requests were handled', async () => {
    const stream = await SseStream.open(`${base}/sse`);
    try {
      const endpoint = await stream.next(() => true, { what: 'endpoint' });
      const post = async (msg) => {
        const res = await fetch(`${base}${endpoint.data}`, { method: 'POST', headers: JSON_CT, body: JSON.stringify(msg) });
        assert.equal(res.status, 202, `${msg.method} accepted`);
        assert.match(res.headers.get('x-mcp-instance') ?? '', /^inst-[123]$/);
        await res.text();
        return res.headers.get('x-mcp-instance');
      };
      await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
      assert.equal((await stream.nextMessage(0)).result.protocolVersion, '2024-11-05');
      await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const seen = new Set();
      for (let id = 1; id <= 30; id++) {
        seen.add(await post({ jsonrpc: '2.0', id, method: 'ping' }));
        assert.deepEqual((await stream.nextMessage(id)).result, {});
        assert.equal(stream.queue.length, 0, 'nothing else pending: one reply per request');
      }
      assert.equal(seen.size, 3, `handled by every instance: ${[...seen]}`);
    } finally {
      stream.close();
    }
  });

  test('SDK client over Streamable HTTP with sessions: calls on every instance, DELETE is 404 everywhere', async () => {
    const from = logLines();
    const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
    const client = new Client({ name: 'e2e-cluster-http', version: '1.0.0' });
    await client.connect(transport);
    const sid = transport.sessionId;
    assert.match(sid, /^[0-9a-f]{32}$/);
    for (let i = 0; i < 20; i++) {
      const r = await withTimeout(client.callTool({ name: 'list_monitored_services', arguments: {} }), T, `tool call ${i}`);
      assert.notEqual(r.isError, true);
    }
    const served = upstreams(/^POST \/mcp 200 /, from);
    assert.equal(served.size, 3, `session requests served by all three instances: ${[...served]}`);
    await transport.terminateSession();
    for (const s of servers) {
      const res = await fetch(`${s.url}/mcp`, {
        method: 'POST',
        headers: { ...JSON_CT, Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
      });
      assert.equal(res.status, 404, `deleted session is 404 on ${s.url}`);
      await res.text();
    }
    await client.close();
  });

  test('mcp-remote (sse-only) through nginx', async () => {
    const nodeBinDir = path.join(e2eDir, 'node_modules', '.bin');
    const home = path.join(dir, 'mcp-remote-home');
    const proc = spawn(process.execPath, [path.join(nodeBinDir, 'mcp-remote'), `${base}/sse`, '--transport', 'sse-only'], {
      env: { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH}`, HOME: home, MCP_REMOTE_CONFIG_DIR: path.join(home, '.mcp-auth') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stderr.on('data', (c) => (err += c));
    const messages = new Map();
    const waiters = new Map();
    proc.stdout.on('data', (c) => {
      out += c;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl).trim();
        out = out.slice(nl + 1);
        try {
          const m = JSON.parse(line);
          if (m.id !== undefined) {
            messages.set(m.id, m);
            waiters.get(m.id)?.(m);
          }
        } catch {}
      }
    });
    const reply = (id) =>
      withTimeout(new Promise((resolve) => {
        if (messages.has(id)) return resolve(messages.get(id));
        waiters.set(id, resolve);
      }), T, `mcp-remote reply ${id} (stderr: ${err.slice(-2000)})`);
    const send = (m) => proc.stdin.write(`${JSON.stringify(m)}\n`);
    try {
      send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'desk', version: '1' } } });
      assert.equal((await reply(1)).result.serverInfo.name, 'cloudwatch-applicationsignals-mcp-server');
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      assert.ok((await reply(2)).result.tools.length > 10);
      for (let id = 3; id < 9; id++) {
        send({ jsonrpc: '2.0', id, method: 'ping' });
        assert.deepEqual((await reply(id)).result, {});
      }
    } finally {
      proc.kill('SIGTERM');
    }
  });

  test('an instance killed mid-run: its streams end, its sessions become 404, the others go on', async () => {
    const victim = servers[2];
    const survivor = servers[0];
    // One stream held by the victim, one by a survivor; their POSTs go through nginx.
    const lost = await SseStream.open(`${victim.url}/sse`);
    const kept = await SseStream.open(`${survivor.url}/sse`);
    const lostEndpoint = (await lost.next(() => true)).data;
    const keptEndpoint = (await kept.next(() => true)).data;
    const post = (endpoint, msg) =>
      fetch(`${base}${endpoint}`, { method: 'POST', headers: JSON_CT, body: JSON.stringify(msg) });
    const init = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'k', version: '1' } } };
    for (const [s, e] of [[lost, lostEndpoint], [kept, keptEndpoint]]) {
      assert.equal((await post(e, init)).status, 202);
      await s.nextMessage(0);
    }
    await victim.stop('SIGKILL');
    await assert.rejects(lost.next(() => false, { timeoutMs: T, what: 'the end of the stream' }), /ended/);
    // The survivor's client goes on, through nginx (which skips the dead upstream).
    for (let id = 1; id <= 10; id++) {
      const res = await post(keptEndpoint, { jsonrpc: '2.0', id, method: 'ping' });
      assert.equal(res.status, 202);
      await res.text();
      assert.deepEqual((await kept.nextMessage(id)).result, {});
    }
    // The dead instance's session: 404 once its heartbeat has expired (at most 10 s).
    await eventually(async () => {
      const res = await post(lostEndpoint, { jsonrpc: '2.0', id: 99, method: 'ping' });
      await res.text();
      return res.status === 404;
    }, 'a 404 for the killed instance\'s session');
    // New sessions work.
    const client = new Client({ name: 'after-kill', version: '1' });
    await client.connect(new SSEClientTransport(new URL(`${base}/sse`)));
    assert.deepEqual(await client.ping(), {});
    await client.close();
    kept.close();
  });

  test('Redis stopped: new sessions 503, 2026-07-28 requests keep working; restarted: recovery by itself', async () => {
    const alive = servers.slice(0, 2);
    await redis.kill();
    for (const s of alive) await waitForOutput(s, /Redis .* unavailable/);
    const sse = await fetch(`${alive[0].url}/sse`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(sse.status, 503);
    await sse.text();
    const init = await fetch(`${alive[1].url}/mcp`, {
      method: 'POST',
      headers: { ...JSON_CT, Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    assert.equal(init.status, 503);
    assert.match(await init.text(), /Redis/);
    const modern = await fetch(`${alive[0].url}/mcp`, {
      method: 'POST',
      headers: { ...JSON_CT, Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'server/discover' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'server/discover',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }),
    });
    const modernBody = await modern.text();
    assert.equal(modern.status, 200, `a 2026-07-28 request needs no Redis: ${modernBody}`);

    redis = await startRedis(path.join(dir, 'redis'), redisPort);
    await eventually(async () => {
      const client = new Client({ name: 'after-redis', version: '1' });
      try {
        await client.connect(new SSEClientTransport(new URL(`${base}/sse`)));
        for (let i = 0; i < 4; i++) await client.ping();
        return true;
      } finally {
        await client.close();
      }
    }, 'new legacy SSE sessions after Redis returned');
  });
});
