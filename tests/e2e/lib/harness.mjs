// Shared helpers for the end-to-end tests of the remote server (issue 3): timeouts on every
// await that could hang, temp dirs, test certificates from `appsignals-mcp gen-cert`, a fetch
// that trusts a custom CA, an incremental SSE reader, and log inspection.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { X509Certificate, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { binDir } from './server.mjs';

export const e2eDir = path.resolve(import.meta.dirname, '..');
export const appBin = path.join(binDir, 'appsignals-mcp');

// Rejects with a message naming `what` if `promise` does not settle within `ms`.
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// A distinctive API key, so "the key never appears in the log" is a meaningful check.
export function makeKey(label) {
  return `e2e-${label}-${randomBytes(12).toString('hex')}`;
}

export async function makeTempDir(label) {
  return mkdtemp(path.join(os.tmpdir(), `appsignals-e2e-${label}-`));
}

export async function removeDir(dir) {
  if (dir) await rm(dir, { recursive: true, force: true });
}

// Runs a binary to completion: { code, signal, stdout, stderr }.
export function run(file, args, { env = {}, timeoutMs = 15000, replaceEnv = false } = {}) {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: replaceEnv ? env : { ...process.env, ...env }, timeout: timeoutMs },
      (err, stdout, stderr) => {
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
          signal: err?.signal ?? null,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}

// `appsignals-mcp gen-cert --dns NAME --out DIR`: { cert, key, certPem, fingerprint256 }.
export async function genCert(dir, dns = 'localhost') {
  const r = await run(appBin, ['gen-cert', '--dns', dns, '--out', dir]);
  if (r.code !== 0) throw new Error(`gen-cert failed (${r.code}): ${r.stdout}${r.stderr}`);
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const certPem = readFileSync(cert, 'utf8');
  return { cert, key, certPem, fingerprint256: new X509Certificate(certPem).fingerprint256 };
}

// A fetch (undici's, so it can take a dispatcher) that trusts exactly the given CA PEMs.
// Returns { fetch, close() }; close() drops the agent's pooled connections.
export function caFetch(caPems) {
  const agent = new Agent({ connect: { ca: [].concat(caPems) } });
  return {
    fetch: (url, init = {}) => undiciFetch(url, { ...init, dispatcher: agent }),
    close: () => agent.destroy(),
  };
}

// The SHA-256 fingerprint of the certificate a fresh TLS connection to 127.0.0.1:port is served.
export function peerFingerprint(port, servername = 'localhost') {
  return withTimeout(
    new Promise((resolve, reject) => {
      const sock = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
        const fp = sock.getPeerCertificate().fingerprint256;
        sock.destroy();
        resolve(fp);
      });
      sock.once('error', reject);
    }),
    10000,
    `TLS handshake with 127.0.0.1:${port}`,
  );
}

// Resolves once the server's combined output, after character `from`, matches `re`.
export function waitForOutput(server, re, { from = 0, timeoutMs = 10000 } = {}) {
  return withTimeout(
    new Promise((resolve, reject) => {
      const check = () => {
        const m = server.output().slice(from).match(re);
        if (m) {
          cleanup();
          resolve(m);
        }
      };
      const onExit = (code) => {
        cleanup();
        reject(new Error(`server exited (${code}) while waiting for ${re}:\n${server.output()}`));
      };
      const cleanup = () => {
        server.proc.stdout.off('data', check);
        server.proc.stderr.off('data', check);
        server.proc.off('exit', onExit);
      };
      // Listeners added after startServer's run after it, so output() already holds the chunk.
      server.proc.stdout.on('data', check);
      server.proc.stderr.on('data', check);
      server.proc.once('exit', onExit);
      check();
    }),
    timeoutMs,
    `server output matching ${re}`,
  );
}

// Asserts that no configured key (nor a 6+ character prefix of one) appears in `text`.
export function findLeakedKeys(text, keys) {
  const leaks = [];
  for (const k of keys) {
    if (text.includes(k)) leaks.push(`${k} (whole key)`);
    else if (text.includes(k.slice(0, Math.max(6, k.length - 8)))) leaks.push(`${k} (prefix)`);
  }
  return leaks;
}

// An incremental reader of a text/event-stream response. Events are queued; next() takes the
// first queued (or future) event that matches a predicate.
export class SseStream {
  static async open(url, { headers = {}, fetchImpl = fetch, timeoutMs = 10000 } = {}) {
    const ac = new AbortController();
    const res = await withTimeout(
      fetchImpl(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: ac.signal }),
      timeoutMs,
      `GET ${url}`,
    );
    return new SseStream(res, ac);
  }

  constructor(res, ac) {
    this.res = res;
    this.ac = ac;
    this.status = res.status;
    this.headers = res.headers;
    this.queue = [];
    this.waiters = [];
    this.comments = 0;
    this.closed = false;
    this.buf = '';
    this.done = res.ok && res.body ? this.#pump() : Promise.resolve();
  }

  async #pump() {
    const reader = this.res.body.getReader();
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.buf += dec.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        this.#parse();
      }
    } catch (e) {
      this.error = e;
    }
    this.closed = true;
    this.#dispatch();
  }

  #parse() {
    let idx;
    while ((idx = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, idx);
      this.buf = this.buf.slice(idx + 2);
      let event = 'message';
      let id;
      const data = [];
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        fields++;
        if (name === 'event') event = value;
        else if (name === 'data') data.push(value);
        else if (name === 'id') id = value;
      }
      if (fields === 0) {
        this.comments++;
        continue;
      }
      this.queue.push({ event, id, data: data.join('\n') });
    }
    this.#dispatch();
  }

  #dispatch() {
    for (const w of [...this.waiters]) {
      const i = this.queue.findIndex(w.pred);
      if (i >= 0) {
        const [ev] = this.queue.splice(i, 1);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(ev);
      } else if (this.closed) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.reject(new Error(`event stream ended before ${w.what}${this.error ? `: ${this.error.message}` : ''}`));
      }
    }
  }

  // The next event matching pred (default: any), consumed from the queue.
  next(pred = () => true, { timeoutMs = 10000, what = 'the next event' } = {}) {
    const p = new Promise((resolve, reject) => {
      this.waiters.push({ pred, resolve, reject, what });
      this.#dispatch();
    });
    return withTimeout(p, timeoutMs, what).catch((e) => {
      const i = this.waiters.findIndex((w) => w.pred === pred);
      if (i >= 0) this.waiters.splice(i, 1);
      throw e;
    });
  }

  // The JSON-RPC message with this id carried by an `event: message`.
  nextMessage(id, opts = {}) {
    return this.next(
      (ev) => ev.event === 'message' && safeJson(ev.data)?.id === id,
      { what: `the JSON-RPC reply with id ${JSON.stringify(id)}`, ...opts },
    ).then((ev) => JSON.parse(ev.data));
  }

  close() {
    this.ac.abort();
  }
}

export function safeJson(s) {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export const initializeRequest = (id = 1, protocolVersion = '2024-11-05') => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'e2e-raw-client', version: '1.0.0' } },
});
