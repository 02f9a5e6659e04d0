// nginx (the Debian package) in front of `appsignals-mcp serve`, configured with the site of
// deploy/nginx/appsignals-mcp.conf (its TLS server block, templated only where it names the
// upstream address, the listen address and the certificate paths): a client through nginx over
// legacy SSE receives every event as it is sent, i.e. nothing is buffered on the way.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { SseStream, caFetch, findLeakedKeys, genCert, makeKey, makeTempDir, removeDir, withTimeout } from './lib/harness.mjs';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const SITE = path.resolve(import.meta.dirname, '../../deploy/nginx/appsignals-mcp.conf');
const KEY = makeKey('nginx');
const AUTH = { Authorization: `Bearer ${KEY}` };
const JSON_CT = { 'Content-Type': 'application/json' };
const T = 10000;

// A loopback port that was free a moment ago (nginx cannot listen on port 0 and report it).
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Replaces exactly `count` matches of `re` (global) or fails: a changed deploy file must not
// silently turn this into a test of something else.
function replaceExactly(text, re, replacement, count, what) {
  const n = (text.match(re) ?? []).length;
  assert.equal(n, count, `deploy/nginx/appsignals-mcp.conf: expected ${count} ${what}, found ${n}`);
  return text.replace(re, replacement);
}

// The deploy site rewritten for a hermetic run: drop the port-80 redirect server, point the
// upstream at the test server, listen on a loopback port, use the test certificate. Every
// proxy_* / SSE setting is kept as written.
export function templateSite(site, { upstreamPort, listenPort, cert, key }) {
  const servers = [...site.matchAll(/^server \{\n[\s\S]*?^\}\n/gm)];
  assert.equal(servers.length, 2, 'the site has a redirect server and a TLS server');
  const redirect = servers.find((m) => /listen 80;/.test(m[0]));
  assert.ok(redirect, 'the port-80 server is there');
  let out = site.replace(redirect[0], '');
  out = replaceExactly(out, /server 127\.0\.0\.1:8000;/g, `server 127.0.0.1:${upstreamPort};`, 1, 'upstream server lines');
  out = replaceExactly(out, /^\s*listen \[::\]:443 ssl;\n/gm, '', 1, 'IPv6 listen lines');
  out = replaceExactly(out, /listen 443 ssl;/g, `listen 127.0.0.1:${listenPort} ssl;`, 1, 'IPv4 listen lines');
  out = replaceExactly(out, /ssl_certificate\s+\S+;/g, `ssl_certificate ${cert};`, 1, 'ssl_certificate lines');
  out = replaceExactly(out, /ssl_certificate_key\s+\S+;/g, `ssl_certificate_key ${key};`, 1, 'ssl_certificate_key lines');
  for (const must of ['proxy_buffering off;', 'proxy_read_timeout', 'location = /sse', 'location /messages', 'location = /mcp']) {
    assert.ok(out.includes(must), `the site keeps "${must}"`);
  }
  return out;
}

// Starts nginx in the foreground with everything under `prefix`; resolves once a worker runs.
async function startNginx(prefix, siteText) {
  for (const d of ['logs', 'tmp/client_body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) {
    await mkdir(path.join(prefix, d), { recursive: true });
  }
  await writeFile(path.join(prefix, 'site.conf'), siteText);
  const isRoot = process.getuid?.() === 0;
  const conf = `
${isRoot ? 'user root;' : ''}
daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr notice;
events { worker_connections 128; }
http {
  access_log ${prefix}/logs/access.log;
  client_body_temp_path ${prefix}/tmp/client_body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  include ${prefix}/site.conf;
}
`;
  const confPath = path.join(prefix, 'nginx.conf');
  await writeFile(confPath, conf);
  const proc = spawn(NGINX, ['-p', prefix, '-c', confPath, '-e', 'stderr'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (c) => {
      output += c;
      if (/start worker process/.test(output)) resolve();
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`nginx exited (${code}) at start:\n${output}`)));
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  try {
    await withTimeout(ready, T, 'nginx start-up');
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
  return {
    proc,
    output: () => output,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); // fast shutdown: the master also stops its workers
      await withTimeout(exited, T, 'nginx exit').catch(() => proc.kill('SIGKILL'));
    },
  };
}

const haveNginx = existsSync(NGINX);

describe('nginx with the deploy/ site in front of the server', { skip: haveNginx ? false : `${NGINX} not installed (make deps)` }, () => {
  let dir;
  let server;
  let nginx;
  let base;
  let ca;
  let certPaths;

  before(async () => {
    dir = await makeTempDir('nginx');
    await chmod(dir, 0o755);
    const cert = await genCert(path.join(dir, 'cert'), 'localhost');
    ca = caFetch(cert.certPem);
    certPaths = cert;
    server = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
      env: { AWS_REGION: 'us-east-1', MCP_API_KEY: KEY, MCP_ALLOWED_HOSTS: 'localhost' },
    });
    const listenPort = await freePort();
    const site = templateSite(readFileSync(SITE, 'utf8'), {
      upstreamPort: server.port,
      listenPort,
      cert: cert.cert,
      key: cert.key,
    });
    nginx = await startNginx(path.join(dir, 'nginx'), site);
    base = `https://localhost:${listenPort}`;
  });

  after(async () => {
    await nginx?.stop();
    await ca?.close();
    const code = await server?.stop();
    await removeDir(dir);
    assert.equal(code, 0, 'the server exits 0 on SIGTERM');
    assert.deepEqual(findLeakedKeys(server.output(), [KEY]), [], `no key in the server log:\n${server.output()}`);
  });

  test('/health is served through nginx without a key', async () => {
    const res = await withTimeout(ca.fetch(`${base}/health`), T, 'GET /health via nginx');
    assert.equal(res.status, 200);
    assert.equal((await res.json()).service, 'cloudwatch-applicationsignals-mcp-server');
  });

  test('/info through nginx: 401 without a key (the challenge passes through), 200 with it', async () => {
    const no = await withTimeout(ca.fetch(`${base}/info`), T, 'GET /info via nginx');
    assert.equal(no.status, 401);
    assert.equal(no.headers.get('www-authenticate'), 'Bearer realm="appsignals-mcp"');
    await no.body?.cancel();
    const yes = await withTimeout(ca.fetch(`${base}/info`, { headers: { 'X-API-Key': KEY } }), T, 'GET /info via nginx');
    assert.equal(yes.status, 200);
    assert.equal((await yes.json()).authentication, 'api-key');
  });

  test('an SSE client through nginx receives each reply before it sends the next request (no buffering)', async () => {
    const stream = await SseStream.open(`${base}/sse`, { headers: AUTH, fetchImpl: ca.fetch });
    try {
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      const endpoint = await stream.next(() => true, { what: 'the endpoint event through nginx' });
      assert.equal(endpoint.event, 'endpoint');
      assert.match(endpoint.data, /^\/messages\/\?session_id=[0-9a-f]{32}$/);

      const post = async (msg) => {
        const res = await withTimeout(
          ca.fetch(`${base}${endpoint.data}`, { method: 'POST', headers: { ...AUTH, ...JSON_CT }, body: JSON.stringify(msg) }),
          T,
          `POST ${msg.method} via nginx`,
        );
        assert.equal(res.status, 202, `${msg.method} accepted`);
        await res.text();
      };
      await post({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'e2e-nginx', version: '1' } },
      });
      assert.equal((await stream.nextMessage(0, { timeoutMs: 5000 })).result?.serverInfo?.name, 'cloudwatch-applicationsignals-mcp-server');
      await post({ jsonrpc: '2.0', method: 'notifications/initialized' });

      // One at a time: each small event must come through while the stream stays open and the
      // client has sent nothing else. A buffering proxy would hold these back.
      for (let id = 1; id <= 8; id++) {
        await post({ jsonrpc: '2.0', id, method: 'ping' });
        const reply = await stream.nextMessage(id, { timeoutMs: 5000 });
        assert.deepEqual(reply.result, {}, `ping ${id} answered`);
        assert.equal(stream.queue.length, 0, 'nothing else was pending');
      }
      assert.equal(stream.closed, false, 'the stream is still open');
    } finally {
      stream.close();
    }
  });

  test('Streamable HTTP /mcp works through nginx', async () => {
    const res = await withTimeout(
      ca.fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { ...AUTH, ...JSON_CT, Accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e-nginx', version: '1' } },
        }),
      }),
      T,
      'POST /mcp via nginx',
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('mcp-session-id') ?? '', /^[0-9a-f]{32}$/);
    assert.match(await res.text(), /cloudwatch-applicationsignals-mcp-server/);
  });

  test('control: the same check detects a buffering proxy (deploy site with buffering forced on)', async () => {
    // Proves the no-buffering test above can fail: the same site with proxy_buffering on and the
    // server's X-Accel-Buffering: no ignored holds the small ping replies back.
    const listenPort = await freePort();
    const buffered = templateSite(readFileSync(SITE, 'utf8'), { upstreamPort: server.port, listenPort, cert: certPaths.cert, key: certPaths.key })
      .replace('proxy_buffering off;', 'proxy_buffering on;\n    proxy_ignore_headers X-Accel-Buffering;');
    const other = await startNginx(path.join(dir, 'nginx-buffered'), buffered);
    const b = `https://localhost:${listenPort}`;
    // nginx holds back even the response head until its buffer fills, so "nothing arrives
    // within 1.5 s" (not the response, or not the endpoint event, or not a ping reply) is the
    // expected outcome here.
    const ac = new AbortController();
    let stream;
    try {
      const res = await withTimeout(
        ca.fetch(`${b}/sse`, { headers: { ...AUTH, Accept: 'text/event-stream' }, signal: ac.signal }),
        1500,
        'GET /sse through a buffering proxy',
      ).catch(() => null);
      if (!res) return; // held back: detected
      stream = new SseStream(res, ac);
      const first = await stream.next(() => true, { timeoutMs: 1500, what: 'the endpoint event (buffered)' }).catch(() => null);
      if (!first) return; // held back: detected
      const post = await withTimeout(
        ca.fetch(`${b}${first.data}`, { method: 'POST', headers: { ...AUTH, ...JSON_CT }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) }),
        T,
        'POST ping through a buffering proxy',
      );
      assert.equal(post.status, 202);
      await post.text();
      await assert.rejects(stream.nextMessage(1, { timeoutMs: 1500 }), /timed out/, 'a buffering proxy delays the reply');
    } finally {
      ac.abort();
      await other.stop();
    }
  });

  test('paths outside the site are 404 at nginx', async () => {
    const res = await withTimeout(ca.fetch(`${base}/elsewhere`, { headers: AUTH }), T, 'GET /elsewhere via nginx');
    assert.equal(res.status, 404);
    await res.body?.cancel();
  });
});
