// The reference for `make bench`: the MCP server a team would write with the official TypeScript
// SDK (McpServer, StreamableHTTPServerTransport, SSEServerTransport) and the official AWS SDK for
// JavaScript, following the SDK's own README examples. Bench-only; never shipped.
//
//   node sdk_server.mjs [--port 0] [--stateless] [--tools tools.json]
//
// Prints "listening on http://127.0.0.1:PORT" once it accepts connections (as our binaries do).
// Serves:
//   POST /mcp          Streamable HTTP. --stateless: a new McpServer + transport per request (the
//                      SDK's stateless example); otherwise one per session, keyed by Mcp-Session-Id.
//                      enableJsonResponse: true, so replies are application/json like ours.
//   GET /sse, POST /messages?sessionId=...   legacy HTTP+SSE (SSEServerTransport), one McpServer per stream.
//   GET /health
// Tools: the same names, descriptions and argument lists as our server's tools/list (read from
// --tools, written by bench/run.sh from our server), so tools/list does comparable work.
// list_monitored_services calls ListServices (all pages) through @aws-sdk/client-application-signals
// against AWS_ENDPOINT_URL; list_slis does ListServices then ListServiceLevelObjectives per
// service in parallel (the fan-out); every other tool is a placeholder returning a short text.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express from 'express';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { isInitializeRequest, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  ApplicationSignalsClient,
  ListServicesCommand,
  ListServiceLevelObjectivesCommand,
} from '@aws-sdk/client-application-signals';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = Number(option('--port', '0'));
const stateless = flag('--stateless');
const toolsFile = option('--tools', '');

const aws = new ApplicationSignalsClient({
  region: process.env.AWS_REGION ?? 'us-east-1',
  ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}),
});

// ---- tools ---------------------------------------------------------------------------------------

// Fallback when run without --tools: placeholders of the size of ours.
const placeholderTools = () =>
  ['list_monitored_services', 'list_slis', ...Array.from({ length: 20 }, (_, i) => `placeholder_tool_${i + 1}`)].map(
    (name) => ({
      name,
      description: `${name}: `.padEnd(420, 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '),
      inputSchema: {
        type: 'object',
        properties: {
          region: { type: 'string', description: 'AWS region to query (default: the server region).' },
          service_name: { type: 'string', description: 'Exact service name as listed by list_monitored_services.' },
          hours: { type: 'integer', description: 'How many hours back to look (default 24).' },
        },
      },
    }),
  );

const toolDefs = toolsFile ? JSON.parse(readFileSync(toolsFile, 'utf8')) : placeholderTools();

// A zod shape with the same property names, kinds, descriptions and required-ness as a JSON schema.
function zodShape(schema) {
  const shape = {};
  const required = new Set(schema?.required ?? []);
  for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
    let t;
    switch (prop.type) {
      case 'string': t = prop.enum ? z.enum(prop.enum) : z.string(); break;
      case 'integer': t = z.number().int(); break;
      case 'number': t = z.number(); break;
      case 'boolean': t = z.boolean(); break;
      case 'array': t = z.array(z.any()); break;
      case 'object': t = z.record(z.string(), z.any()); break;
      default: t = z.any();
    }
    if (prop.description) t = t.describe(prop.description);
    shape[key] = required.has(key) ? t : t.optional();
  }
  return shape;
}

async function listAllServices() {
  const end = new Date();
  const start = new Date(end.getTime() - 24 * 3600 * 1000);
  const services = [];
  let NextToken;
  do {
    const page = await aws.send(new ListServicesCommand({ StartTime: start, EndTime: end, MaxResults: 100, NextToken }));
    services.push(...(page.ServiceSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return { services, start, end };
}

async function listMonitoredServices() {
  const { services, start, end } = await listAllServices();
  const lines = [
    `Services in Application Signals, last 24 hours (${start.toISOString()} to ${end.toISOString()}): ${services.length} total.`,
  ];
  for (const s of services) {
    const k = s.KeyAttributes ?? {};
    lines.push(`• ${k.Name}${k.Environment ? ` (${k.Environment})` : ''}`);
    lines.push(`  Key attributes: ${Object.entries(k).map(([a, v]) => `${a}=${v}`).join(', ')}`);
  }
  return { content: [{ type: 'text', text: lines.join('\n') }] };
}

async function listSlis() {
  const { services } = await listAllServices();
  const per = await Promise.all(
    services.map(async (s) => {
      const r = await aws.send(new ListServiceLevelObjectivesCommand({ KeyAttributes: s.KeyAttributes, MaxResults: 50 }));
      return { name: s.KeyAttributes?.Name, slos: r.SloSummaries ?? [] };
    }),
  );
  const lines = [`SLIs for ${per.length} services:`];
  for (const p of per) lines.push(`• ${p.name}: ${p.slos.length} SLOs${p.slos.length ? ` (${p.slos.map((x) => x.Name).join(', ')})` : ''}`);
  return { content: [{ type: 'text', text: lines.join('\n') }] };
}

const handlers = { list_monitored_services: listMonitoredServices, list_slis: listSlis };

// Schemas are built once, at module level, as a team would write them; each McpServer instance
// (one per session or stateless request, as the SDK requires) only registers them.
for (const def of toolDefs) def.zodShape = zodShape(def.inputSchema);

function buildServer() {
  const server = new McpServer({ name: 'appsignals-sdk-peer', version: '0.0.0' }, { capabilities: { logging: {} } });
  for (const def of toolDefs) {
    const handler = handlers[def.name] ?? (async () => ({ content: [{ type: 'text', text: `${def.name}: placeholder` }] }));
    server.registerTool(
      def.name,
      { title: def.title, description: def.description, inputSchema: def.zodShape, annotations: def.annotations },
      async () => {
        try {
          return await handler();
        } catch (e) {
          return { isError: true, content: [{ type: 'text', text: `AWS call failed: ${e.name}: ${e.message}` }] };
        }
      },
    );
  }
  if (toolDefs.length === 0) {
    // McpServer only answers tools/list once a tool is registered; ours answers an empty list.
    server.server.registerCapabilities({ tools: { listChanged: false } });
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  }
  return server;
}

// ---- HTTP ----------------------------------------------------------------------------------------

const app = express();
app.use(express.json({ limit: '4mb' }));
app.get('/health', (_req, res) => res.json({ status: 'healthy' }));

const sessions = new Map(); // Mcp-Session-Id -> StreamableHTTPServerTransport

app.post('/mcp', async (req, res) => {
  try {
    if (stateless) {
      const server = buildServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        transport.close();
        server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
      return;
    }
    const sid = req.headers['mcp-session-id'];
    let transport = sid ? sessions.get(sid) : undefined;
    if (!transport) {
      if (sid || !isInitializeRequest(req.body)) {
        res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null });
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (id) => sessions.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
      await buildServer().connect(transport);
    }
    await transport.handleRequest(req, res, req.body);
  } catch (e) {
    if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: String(e) }, id: null });
  }
});

const sseTransports = new Map(); // sessionId -> SSEServerTransport

app.get('/sse', async (_req, res) => {
  const transport = new SSEServerTransport('/messages', res);
  sseTransports.set(transport.sessionId, transport);
  res.on('close', () => sseTransports.delete(transport.sessionId));
  await buildServer().connect(transport);
});

app.post('/messages', async (req, res) => {
  const transport = sseTransports.get(String(req.query.sessionId));
  if (!transport) {
    res.status(404).send('unknown session');
    return;
  }
  await transport.handlePostMessage(req, res, req.body);
});

const listener = app.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${listener.address().port} (${stateless ? 'stateless' : 'sessions'}, ${toolDefs.length} tools)`);
});
listener.keepAliveTimeout = 60_000;
listener.headersTimeout = 65_000;
const shutdown = () => listener.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 500).unref();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
