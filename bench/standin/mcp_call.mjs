// Helpers shared by capture.mjs and verify.mjs: one MCP tools/call over Streamable HTTP (with a
// session when the server wants one), and the masking of the times a tool output may contain.

// Times change between runs; everything else in a tool's output must not.
export const maskTimes = (s) => s.replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?Z?( UTC)?/g, '<time>');

const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const post = (url, body, extra = {}) => fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });

// Calls `tool` with no arguments at `url` (.../mcp). `session`: initialize first and carry the
// Mcp-Session-Id. Returns the reply's raw text and the tool's text output; throws on an error
// reply or isError.
export async function callTool(url, tool, { session = false } = {}) {
  const extra = {};
  if (session) {
    const init = await post(url, {
      jsonrpc: '2.0', id: 0, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-standin', version: '1' } },
    });
    await init.text();
    extra['mcp-session-id'] = init.headers.get('mcp-session-id');
    extra['mcp-protocol-version'] = '2025-06-18';
    await (await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, extra)).text();
  }
  const r = await post(url, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: {} } }, extra);
  const text = await r.text();
  const reply = JSON.parse(text);
  if (!reply.result || reply.result.isError) throw new Error(`${tool}: ${text.slice(0, 400)}`);
  return { text, output: reply.result.content.map((c) => c.text).join('\n') };
}
