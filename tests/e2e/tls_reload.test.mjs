// Direct TLS: SIGHUP reloads the certificate and key without dropping open connections
// (Let's Encrypt renewals), a bad key at SIGHUP keeps the current certificate, and the
// start-up errors for a missing, mismatched or half-configured certificate/key pair.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import {
  SseStream,
  appBin,
  caFetch,
  findLeakedKeys,
  genCert,
  makeKey,
  makeTempDir,
  peerFingerprint,
  removeDir,
  run,
  waitForOutput,
  withTimeout,
} from './lib/harness.mjs';

const KEY = makeKey('tls');
const T = 10000;
const AUTH = { Authorization: `Bearer ${KEY}` };
const JSON_CT = { 'Content-Type': 'application/json' };

let dir;
const fetchers = [];
function trusting(...pems) {
  const f = caFetch(pems);
  fetchers.push(f);
  return f.fetch;
}

before(async () => {
  dir = await makeTempDir('tls');
});
after(async () => {
  for (const f of fetchers) await f.close();
  await removeDir(dir);
});

describe('SIGHUP with a connection open', () => {
  let server;
  let live; // the paths the server was started with
  let certA;
  let certB;

  before(async () => {
    certA = await genCert(path.join(dir, 'a'), 'cert-a.test');
    certB = await genCert(path.join(dir, 'b'), 'cert-b.test');
    assert.notEqual(certA.fingerprint256, certB.fingerprint256);
    live = path.join(dir, 'live');
    await genCert(live, 'placeholder.test');
    await copyFile(certA.cert, path.join(live, 'cert.pem'));
    await copyFile(certA.key, path.join(live, 'key.pem'));
    server = await startServer('appsignals-mcp', ['serve', '--host', '127.0.0.1', '--port', '0'], {
      env: {
        AWS_REGION: 'us-east-1',
        MCP_API_KEY: KEY,
        SSL_CERTFILE: path.join(live, 'cert.pem'),
        SSL_KEYFILE: path.join(live, 'key.pem'),
      },
    });
    assert.ok(server.url.startsWith('https://'), 'the server announces https');
  });

  after(async () => {
    const code = await server?.stop();
    assert.equal(code, 0, 'the server exits 0 on SIGTERM');
    assert.deepEqual(findLeakedKeys(server.output(), [KEY]), [], `no key in the log:\n${server.output()}`);
  });

  async function sighupAndWait(re) {
    const from = server.output().length;
    server.proc.kill('SIGHUP');
    return waitForOutput(server, re, { from, timeoutMs: T });
  }

  test('new connections see cert B after SIGHUP while a stream opened under cert A keeps receiving events', async () => {
    assert.equal(await peerFingerprint(server.port), certA.fingerprint256, 'serves cert A at start');

    // An SSE stream over a connection that trusts only cert A.
    const stream = await SseStream.open(`${server.url}/sse`, { headers: AUTH, fetchImpl: trusting(certA.certPem) });
    try {
      assert.equal(stream.status, 200);
      const endpoint = (await stream.next(() => true, { what: 'the endpoint event' })).data;
      assert.match(endpoint, /^\/messages\/\?session_id=[0-9a-f]{32}$/);

      // Renewal: new pair written over the same paths, then SIGHUP.
      await copyFile(certB.cert, path.join(live, 'cert.pem'));
      await copyFile(certB.key, path.join(live, 'key.pem'));
      await sighupAndWait(/SIGHUP: reloaded the TLS certificate/);

      assert.equal(await peerFingerprint(server.port), certB.fingerprint256, 'a new connection is served cert B');

      // A client that trusts only cert A can no longer open new connections...
      await assert.rejects(
        withTimeout(trusting(certA.certPem)(`${server.url}/health`), T, 'GET /health trusting only A'),
        (e) => !/timed out/.test(e.message),
      );
      // ...but one trusting B can, and its POST is answered on the stream opened under cert A.
      const res = await withTimeout(
        trusting(certB.certPem)(`${server.url}${endpoint}`, {
          method: 'POST',
          headers: { ...AUTH, ...JSON_CT },
          body: JSON.stringify({ jsonrpc: '2.0', id: 42, method: 'ping' }),
        }),
        T,
        'POST ping over a new connection',
      );
      assert.equal(res.status, 202);
      assert.deepEqual((await stream.nextMessage(42)).result, {}, 'the old stream still receives events');
      assert.equal(stream.closed, false, 'the old stream is still open');
    } finally {
      stream.close();
    }
  });

  test('a bad key file at SIGHUP keeps the current certificate and the server keeps serving', async () => {
    const before = await peerFingerprint(server.port);
    await writeFile(path.join(live, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    const m = await sighupAndWait(/SIGHUP: (keeping the current TLS certificate[^\n]*|reloaded the TLS certificate)/);
    assert.match(m[1], /^keeping the current TLS certificate/, 'the reload is refused and says so');
    assert.equal(await peerFingerprint(server.port), before, 'the same certificate is served');
    const res = await withTimeout(trusting(certA.certPem, certB.certPem)(`${server.url}/health`), T, 'GET /health');
    assert.equal(res.status, 200, 'still serving');
  });

  test('a key that does not match the certificate at SIGHUP keeps the current certificate', async () => {
    const before = await peerFingerprint(server.port);
    await copyFile(certA.cert, path.join(live, 'cert.pem'));
    await copyFile(certB.key, path.join(live, 'key.pem'));
    const m = await sighupAndWait(/SIGHUP: (keeping the current TLS certificate[^\n]*|reloaded the TLS certificate)/);
    assert.match(m[1], /^keeping the current TLS certificate/);
    assert.equal(await peerFingerprint(server.port), before);
  });
});

describe('start-up errors', () => {
  let a;
  let b;
  before(async () => {
    a = await genCert(path.join(dir, 'start-a'), 'start-a.test');
    b = await genCert(path.join(dir, 'start-b'), 'start-b.test');
  });

  const serve = (env, args = []) =>
    run(appBin, ['serve', '--host', '127.0.0.1', '--port', '0', ...args], {
      env: { AWS_REGION: 'us-east-1', MCP_API_KEY: KEY, SSL_CERTFILE: undefined, SSL_KEYFILE: undefined, ...env },
      timeoutMs: T,
    });

  function assertFailed(r, what) {
    assert.equal(r.signal, null, `${what}: exited by itself (not killed by the timeout): ${r.stdout}${r.stderr}`);
    assert.notEqual(r.code, 0, `${what}: exits non-zero`);
    assert.doesNotMatch(r.stdout + r.stderr, /listening on/, `${what}: never listens`);
    assert.deepEqual(findLeakedKeys(r.stdout + r.stderr, [KEY]), []);
  }

  test('a missing key file is a start-up error naming the file', async () => {
    const missing = path.join(dir, 'nope', 'key.pem');
    const r = await serve({ SSL_CERTFILE: a.cert, SSL_KEYFILE: missing });
    assertFailed(r, 'missing key');
    assert.ok((r.stdout + r.stderr).includes(missing), `names ${missing}:\n${r.stdout}${r.stderr}`);
  });

  test('a missing certificate file (flags) is a start-up error naming the file', async () => {
    const missing = path.join(dir, 'nope', 'cert.pem');
    const r = await serve({}, ['--tls-cert', missing, '--tls-key', a.key]);
    assertFailed(r, 'missing cert');
    assert.ok((r.stdout + r.stderr).includes(missing), `names ${missing}:\n${r.stdout}${r.stderr}`);
  });

  test('a key that does not match the certificate is a start-up error naming a file', async () => {
    const r = await serve({ SSL_CERTFILE: a.cert, SSL_KEYFILE: b.key });
    assertFailed(r, 'mismatched key');
    const out = r.stdout + r.stderr;
    assert.ok(out.includes(b.key) || out.includes(a.cert), `names the key or certificate file:\n${out}`);
    assert.match(out, /match/i, `says they do not match:\n${out}`);
  });

  test('SSL_CERTFILE without SSL_KEYFILE is a start-up error (no silent plain HTTP)', async () => {
    const r = await serve({ SSL_CERTFILE: a.cert });
    assertFailed(r, 'cert without key');
    assert.match(r.stdout + r.stderr, /SSL_KEYFILE|tls-key/, 'names the missing setting');
  });

  test('SSL_KEYFILE without SSL_CERTFILE is a start-up error', async () => {
    const r = await serve({ SSL_KEYFILE: a.key });
    assertFailed(r, 'key without cert');
    assert.match(r.stdout + r.stderr, /SSL_CERTFILE|tls-cert/, 'names the missing setting');
  });
});
