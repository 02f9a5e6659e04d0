// Cluster mode, Streamable HTTP with sessions: server-initiated messages for a session whose GET
// stream is held by another instance reach that stream through the owner (Redis pub/sub).
//
// The product's own tools send nothing on the GET stream in the handshake era (no progress or
// log notifications, elicitation only in the 2026-07-28 era, no list changes), so this runs the
// same core in `mcp-conformance-server` (the same net, mcp, cluster and app libraries; its
// fixture tools send progress, logs and sampling requests) with `--redis-url`. The triggering
// POSTs accept only application/json, so their notifications and requests cannot ride on the
// POST's own reply and go to the session's GET stream (MCP-PROTOCOL: a client that does not
// accept text/event-stream gets them on its standalone stream).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { SseStream, makeTempDir, removeDir, safeJson, waitForOutput, withTimeout } from './lib/harness.mjs';
import { freePort, startRedis } from './lib/redis.mjs';

const T = 15000;
const VERSION = '2025-06-18';

describe('GET stream held by instance A, the triggering POSTs handled by instance B', () => {
  let dir;
  let redis;
  let a;
  let b;

  before(async () => {
    dir = await makeTempDir('cluster-streams');
    const redisPort = await freePort();
    redis = await startRedis(path.join(dir, 'redis'), redisPort);
    const start = (id) =>
      startServer('mcp-conformance-server', ['--port', '0', '--log-level', 'INFO', '--redis-url',
        `redis://127.0.0.1:${redisPort}/0`, '--instance-id', id]);
    a = await start('inst-a');
    b = await start('inst-b');
    for (const s of [a, b]) {
      await waitForOutput(s, /Redis .* \(subscriber\) connected/);
      await waitForOutput(s, /Redis .* \(commands\) connected/);
    }
  });

  after(async () => {
    const codes = [await a?.stop(), await b?.stop()];
    await redis?.kill();
    await removeDir(dir);
    assert.deepEqual(codes, [0, 0], 'both instances exit 0 on SIGTERM');
  });

  // POST one JSON-RPC message to `server`, accepting JSON only.
  const post = (server, sid, msg) =>
    fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'MCP-Protocol-Version': VERSION,
        ...(sid ? { 'Mcp-Session-Id': sid } : {}) },
      body: JSON.stringify(msg),
    });

  // A session initialized on A (with the sampling capability) and its GET stream on A.
  async function sessionWithStreamOnA() {
    let init;
    // The instance is available once its first heartbeat is written (a 503 before that).
    for (let i = 0; i < 1000; i++) {
      init = await post(a, null, { jsonrpc: '2.0', id: 0, method: 'initialize',
        params: { protocolVersion: VERSION, capabilities: { sampling: {} }, clientInfo: { name: 'streams', version: '1' } } });
      if (init.status !== 503) break;
      await init.text();
    }
    assert.equal(init.status, 200, await init.clone().text());
    await init.json();
    const sid = init.headers.get('mcp-session-id');
    assert.match(sid, /^[0-9a-f]{32}$/);
    const note = await post(b, sid, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(note.status, 202);
    await note.text();
    const stream = await SseStream.open(`${a.url}/mcp`, { headers: { 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': VERSION } });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('x-mcp-instance'), 'inst-a');
    return { sid, stream };
  }

  const nextNotification = (stream, method) =>
    stream.next((ev) => ev.event === 'message' && safeJson(ev.data)?.method === method, { timeoutMs: T, what: method })
      .then((ev) => JSON.parse(ev.data));

  test('progress and log notifications of a tool call on B arrive, in order, on the GET stream on A', async () => {
    const { sid, stream } = await sessionWithStreamOnA();
    try {
      const res = await post(b, sid, { jsonrpc: '2.0', id: 1, method: 'tools/call',
        params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'p-1' } } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-mcp-instance'), 'inst-b', 'the call ran on B');
      assert.match(res.headers.get('content-type'), /application\/json/, 'a JSON-only client gets a JSON reply');
      assert.equal((await res.json()).result.content[0].text, 'Tool with progress executed successfully');
      const progress = [];
      for (let i = 0; i < 3; i++) progress.push((await nextNotification(stream, 'notifications/progress')).params);
      assert.deepEqual(progress.map((p) => [p.progressToken, p.progress, p.total]),
        [['p-1', 0, 100], ['p-1', 50, 100], ['p-1', 100, 100]]);

      const logged = await post(b, sid, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_tool_with_logging', arguments: {} } });
      assert.equal(logged.headers.get('x-mcp-instance'), 'inst-b');
      assert.equal((await logged.json()).result.content[0].text, 'Tool with logging executed successfully');
      const logs = [];
      for (let i = 0; i < 3; i++) logs.push((await nextNotification(stream, 'notifications/message')).params.data);
      assert.deepEqual(logs, ['Tool execution started', 'Tool processing data', 'Tool execution completed']);
      assert.equal(stream.queue.length, 0, 'nothing else (no duplicates, no replies) on the GET stream');
    } finally {
      stream.close();
    }
  });

  test('a sampling request from a tool call on B is delivered on the GET stream on A; the answer POSTed to B completes it', async () => {
    const { sid, stream } = await sessionWithStreamOnA();
    try {
      const call = post(b, sid, { jsonrpc: '2.0', id: 7, method: 'tools/call',
        params: { name: 'test_sampling', arguments: { prompt: 'Say hi' } } });
      const ask = await nextNotification(stream, 'sampling/createMessage');
      assert.ok(ask.id !== undefined, 'a request (with an id) from the server');
      assert.equal(ask.params.messages[0].content.text, 'Say hi');
      // The answer goes to the instance waiting for it (answers are not forwarded between instances).
      const answer = await post(b, sid, { jsonrpc: '2.0', id: ask.id,
        result: { role: 'assistant', content: { type: 'text', text: 'hi there' }, model: 'test-model' } });
      assert.equal(answer.status, 202);
      await answer.text();
      const res = await withTimeout(call, T, 'the tools/call reply');
      assert.equal(res.headers.get('x-mcp-instance'), 'inst-b');
      assert.equal((await res.json()).result.content[0].text, 'LLM response: hi there');
    } finally {
      stream.close();
    }
  });

  test('a second GET stream for the session, on B, is refused while A holds it', async () => {
    const { sid, stream } = await sessionWithStreamOnA();
    try {
      const second = await fetch(`${b.url}/mcp`, { headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': VERSION } });
      assert.equal(second.status, 409);
      await second.text();
    } finally {
      stream.close();
    }
  });
});
