// Records the AWS stand-in's canned answers: runs the fake AWS (sample account), puts a recording
// HTTP proxy in front of it, calls the benchmarked tools once through our server and once through
// the SDK peer, and writes the exact response bytes of every AWS request they made, plus an index
// that bench/standin/nginx_conf.mjs turns into nginx routes. Bench-only.
//
//   node bench/standin/capture.mjs [--bin build/bin/appsignals-mcp] [--out bench/standin]
//
// Writes, under --out:
//   aws/<op>-<n>.json   one response body per distinct (operation, discriminator), byte for byte
//   mcp/<tool>.json     our server's JSON-RPC reply to the tools/call (the proxy ceiling's answer)
//   expected/<tool>.txt our tool's text against the fake AWS, times masked (run.sh compares the
//                       stand-in's output with it)
//   index.json          [{op, method, path, target, match, file, status, content_type}]
// An operation whose answer depends on the request body (the per-service fan-out) gets one
// entry per distinct request, keyed by what the table `discriminators` below reads from it.
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callTool, maskTimes } from './mcp_call.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const bin = resolve(option('--bin', join(root, 'build/bin/appsignals-mcp')));
const out = resolve(option('--out', here));
const tools = ['list_monitored_services', 'list_slis'];

// What distinguishes two requests of one operation whose answers differ: a list of
// [name, value] pairs nginx can match (query arguments, or "body" literals that must all occur in
// the request body). Operations absent here have one answer.
const discriminators = {
  ListServices: (r) => [['arg:NextToken', r.query.get('NextToken') ?? '']],
  ListServiceLevelObjectives: (r) => {
    const keys = JSON.parse(r.body || '{}').KeyAttributes ?? {};
    return [
      ['arg:NextToken', r.query.get('NextToken') ?? ''],
      ...Object.keys(keys).sort().map((k) => ['body', `${JSON.stringify(k)}:${JSON.stringify(keys[k])}`]),
    ];
  },
  GetMetricData: (r) => {
    const q = JSON.parse(r.body || '{}').MetricDataQueries ?? [];
    return q.flatMap((m) => (m.MetricStat?.Metric?.Dimensions ?? []).map((d) => ['body', `"Value":${JSON.stringify(d.Value)}`]));
  },
};

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

// Starts a child and resolves with its output lines once `ready` matches one.
function startChild(cmd, argv, env, ready) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let text = '';
    const onData = (d) => {
      text += d;
      const m = text.match(ready);
      if (m) res({ child, match: m, text });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => rej(new Error(`${cmd} exited (${code}): ${text.slice(-500)}`)));
  });
}

// ---- the fake AWS and the recorder -------------------------------------------------------------
const fake = await startChild(bin, ['fakeaws', '--port', '0'], {}, /export AWS_DEFAULT_REGION=\S+\n/);
const env = Object.fromEntries([...fake.text.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
const fakeUrl = new URL(env.AWS_ENDPOINT_URL);

const exchanges = [];
const recorder = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const up = request(
      { host: fakeUrl.hostname, port: fakeUrl.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        const rc = [];
        upRes.on('data', (c) => rc.push(c));
        upRes.on('end', () => {
          const resBody = Buffer.concat(rc);
          const url = new URL(req.url, 'http://x');
          const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
          exchanges.push({
            service,
            method: req.method,
            path: url.pathname,
            query: url.searchParams,
            target: req.headers['x-amz-target'] ?? '',
            body: body.toString('utf8'),
            status: upRes.statusCode,
            contentType: upRes.headers['content-type'] ?? 'application/json',
            response: resBody,
          });
          res.writeHead(upRes.statusCode, upRes.headers);
          res.end(resBody);
        });
      },
    );
    up.end(body);
  });
});
await new Promise((r) => recorder.listen(0, '127.0.0.1', r));
const recorderUrl = `http://127.0.0.1:${recorder.address().port}`;
const childEnv = { ...env, AWS_ENDPOINT_URL: recorderUrl, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
delete childEnv.MCP_API_KEY;

// ---- ours, then the SDK peer ------------------------------------------------------------------
rmSync(join(out, 'aws'), { recursive: true, force: true });
for (const d of ['aws', 'mcp', 'expected']) mkdirSync(join(out, d), { recursive: true });
const ours = await startChild(bin, ['serve', '--host', '127.0.0.1', '--port', '0', '--stateless'], childEnv, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
for (const tool of tools) {
  const { text, output } = await callTool(`http://127.0.0.1:${ours.match[1]}/mcp`, tool);
  writeFileSync(join(out, 'mcp', `${tool}.json`), text);
  writeFileSync(join(out, 'expected', `${tool}.txt`), maskTimes(output) + '\n');
}
const node = process.execPath;
const peer = await startChild(node, [join(root, 'bench/peers/sdk_server.mjs'), '--port', '0', '--stateless'], childEnv, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
for (const tool of tools) await callTool(`http://127.0.0.1:${peer.match[1]}/mcp`, tool);

// ---- the index --------------------------------------------------------------------------------
const opName = (x) => (x.target ? x.target.split('.').pop() : x.path.split('/').filter(Boolean).pop() ?? 'root');
const entries = new Map(); // route key -> entry
for (const x of exchanges) {
  if (x.status !== 200) throw new Error(`${x.method} ${x.path} answered ${x.status}: ${x.response.toString().slice(0, 300)}`);
  const op = x.path === '/services' ? 'ListServices' : x.path === '/slos' ? 'ListServiceLevelObjectives' : opName(x);
  const match = discriminators[op]?.(x) ?? [];
  const key = JSON.stringify([op, x.method, x.path, x.target, match]);
  if (entries.has(key)) continue; // ours and the SDK asked the same thing: the first answer serves both
  entries.set(key, { op, service: x.service, method: x.method, path: x.path, target: x.target, match, file: '', status: x.status, content_type: x.contentType, response: x.response });
}
// Files numbered in key order, so a capture of unchanged data rewrites the same files (the fan-out
// answers arrive in any order).
const counters = {};
const index = [...entries.keys()].sort().map((key) => {
  const { response, ...e } = entries.get(key);
  counters[e.op] = (counters[e.op] ?? 0) + 1;
  e.file = `aws/${e.op}-${counters[e.op]}.json`;
  writeFileSync(join(out, e.file), response);
  return e;
});
writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 1) + '\n');
console.log(`captured ${entries.size} answers from ${exchanges.length} requests: ` +
  Object.entries(counters).map(([k, v]) => `${k} ${v}`).join(', '));
process.exit(0);
