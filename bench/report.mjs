// Turns bench/run.sh's raw results (one JSON line per run) into bench/results/latest.json and
// the one table of bench/results/latest.md.
//   node report.mjs meta.json results.jsonl latest.json latest.md
import { readFileSync, writeFileSync } from 'node:fs';

const [metaFile, jsonlFile, jsonOut, mdOut] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
const rows = readFileSync(jsonlFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

const label = {
  tools_list: 'tools/list',
  ping: 'ping',
  call_list_monitored_services: 'tools/call list_monitored_services (fake AWS)',
  call_list_slis: 'tools/call list_slis (fan-out, fake AWS)',
  standin_call_list_monitored_services: 'tools/call list_monitored_services (AWS stand-in; nginx: proxy ceiling)',
  standin_call_list_slis: 'tools/call list_slis (fan-out, AWS stand-in; nginx: proxy ceiling)',
  modern_tools_list: 'tools/list (2026-07-28 era)',
  modern_call_list_monitored_services: 'tools/call list_monitored_services (2026-07-28 era)',
  sse_tools_list: 'legacy SSE: POST tools/list, reply on stream',
  cluster_sse_tools_list: 'legacy SSE through nginx round-robin to 3 instances + Redis (ours only; CPU and RSS: all of them)',
};

const runs = rows.filter((r) => r.load && r.scenario !== 'idle_sse' && r.scenario !== 'idle_tls');
const idle = rows.filter((r) => r.scenario === 'idle_sse' && r.load);
const idleTls = rows.filter((r) => r.scenario === 'idle_tls' && r.load);
const skipped = rows.filter((r) => r.skipped);

// Per run: the figures a reader needs.
for (const r of runs) {
  const l = r.load;
  r.rps = l.rps ?? 0;
  r.p50_ms = l.p50_ms ?? 0;
  r.p99_ms = l.p99_ms ?? 0;
  r.errors = l.errors ?? 0;
  r.server_cpu_s_per_1k = l.total_requests > 0 ? (r.server_cpu_seconds / l.total_requests) * 1000 : null;
  r.loadgen_cpu_pct = l.seconds > 0 ? (100 * l.cpu_seconds) / l.seconds : null;
}

const fmtN = (v) =>
  v == null || Number.isNaN(v) ? '–' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2);
const fmtMs = (v) => (v == null ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (a, b) => (a && b ? a / b : null);
const fmtX = (v) => (v == null ? '–' : v >= 10 ? `${v.toFixed(0)}×` : `${v.toFixed(2)}×`);

const cell = (r) => {
  if (!r) return '';
  if (!r.rps) return `failed: ${(r.load.first_error || 'no replies').slice(0, 80).replace(/\|/g, '/')}`;
  const cpu = r.server_cpu_s_per_1k == null ? '' : ` · ${r.server_cpu_s_per_1k.toFixed(3)} cpu-s/1k`;
  const err = r.errors ? ` · **${r.errors} errors**` : '';
  return `${fmtN(r.rps)} rps · ${fmtMs(r.p50_ms)}/${fmtMs(r.p99_ms)} ms${cpu}${err}`;
};
const ratioCell = (ours, other) => {
  if (!ours?.rps || !other?.rps) return '';
  return `${fmtX(ratio(ours.rps, other.rps))} rps · p99 ${fmtX(ratio(ours.p99_ms, other.p99_ms))}`;
};

const lines = [];
lines.push(`# appsignals-mcp benchmark: ${meta.date}`);
lines.push('');
lines.push(
  `Commit ${meta.commit}${meta.dirty ? ' (uncommitted changes in the tree)' : ''} · ${meta.host} · ${meta.cores} cores (${meta.cpu}) · ` +
    `pinning: ${meta.pinning} · ${meta.seconds} s measured per run after ${meta.warmup} s warm-up · ` +
    `${meta.tool_count} tools (${meta.tools_list_bytes} bytes of tools/list) · SDK peer: @modelcontextprotocol/sdk ${meta.sdk} on Node ${meta.node} · nginx ${meta.nginx}.`,
);
lines.push('');
lines.push(
  'Cells: throughput · p50/p99 latency · server CPU seconds per 1,000 requests. Ratio cells: ours ÷ other for throughput (higher is better for us) and for p99 (lower is better for us). ' +
    'Loadgen CPU: the load generator\'s own CPU as % of one core during the ours run / the busiest run of the row (near 100 % means the generator, not the server, was the limit).',
);
lines.push('');
lines.push('| scenario | transport | c | ours | SDK (TypeScript) | nginx (ceiling) | ours/SDK | ours/nginx | loadgen CPU |');
lines.push('| --- | --- | --: | --- | --- | --- | --- | --- | --- |');

const groups = new Map();
for (const r of runs) {
  const key = `${r.scenario}|${r.transport}|${r.concurrency}`;
  if (!groups.has(key)) groups.set(key, { scenario: r.scenario, transport: r.transport, c: r.concurrency });
  groups.get(key)[r.server] = r;
}
const order = Object.keys(label);
const sorted = [...groups.values()].sort(
  (a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario) || a.transport.localeCompare(b.transport) || a.c - b.c,
);
const summary = [];
for (const g of sorted) {
  const lg = [g.ours, g.sdk, g.nginx].filter((r) => r?.loadgen_cpu_pct != null).map((r) => r.loadgen_cpu_pct);
  const lgCell = g.ours?.loadgen_cpu_pct != null ? `${g.ours.loadgen_cpu_pct.toFixed(0)}% / ${Math.max(...lg).toFixed(0)}%` : '';
  lines.push(
    `| ${label[g.scenario] ?? g.scenario} | ${g.transport} | ${g.c} | ${cell(g.ours)} | ${cell(g.sdk)} | ${cell(g.nginx)} | ` +
      `${ratioCell(g.ours, g.sdk)} | ${ratioCell(g.ours, g.nginx)} | ${lgCell} |`,
  );
  summary.push({
    scenario: g.scenario,
    transport: g.transport,
    concurrency: g.c,
    rps_ratio_ours_sdk: ratio(g.ours?.rps, g.sdk?.rps),
    rps_ratio_ours_nginx: ratio(g.ours?.rps, g.nginx?.rps),
    p99_ratio_ours_sdk: ratio(g.ours?.p99_ms, g.sdk?.p99_ms),
  });
}
for (const s of skipped) lines.push(`| ${label[s.scenario] ?? s.scenario} | ${s.transport} | | skipped: ${s.skipped} | | | | | |`);

// Memory and start-up rows, in the same table.
const mb = (kb) => (kb == null ? '–' : `${(kb / 1024).toFixed(1)} MB`);
const memRow = (name, o, s, n, fmt) =>
  lines.push(`| ${name} | | | ${fmt(o)} | ${fmt(s)} | ${fmt(n)} | ${fmtX(ratio(o, s))} | ${fmtX(ratio(o, n))} | |`);
memRow('start to listening', meta.start_ms.ours, meta.start_ms.sdk, meta.start_ms.nginx, (v) => (v == null ? '–' : `${v} ms`));
memRow('idle RSS (after start)', meta.idle_rss_kb.ours, meta.idle_rss_kb.sdk, meta.idle_rss_kb.nginx, mb);
const peakRss = (server) => Math.max(0, ...runs.filter((r) => r.server === server).map((r) => r.rss_kb ?? 0)) || null;
memRow('RSS under load (max mid-run sample)', peakRss('ours'), peakRss('sdk'), peakRss('nginx'), mb);
if (meta.settled_rss_kb?.ours != null)
  memRow('RSS after the load (settled)', meta.settled_rss_kb.ours, meta.settled_rss_kb.sdk, null, mb);
const counts = [...new Set(idle.map((r) => r.sessions))].sort((a, b) => a - b);
const idleInfo = {};
for (const k of counts) {
  const at = (server) => idle.find((r) => r.server === server && r.sessions === k);
  const o = at('ours'), s = at('sdk');
  const per = (r) => (r && r.load.opened ? ((r.rss_kb - r.rss_before_kb) / r.load.opened) : null);
  const idleCell = (r) => {
    if (!r) return 'not run';
    if (!r.load.opened) return `failed: ${(r.load.first_error || 'no stream opened').slice(0, 120).replace(/\|/g, '/')}`;
    return `${mb(r.rss_kb)} (${per(r).toFixed(1)} kB) · ${r.load.opened}/${k} open`;
  };
  const both = o?.load.opened && s?.load.opened;
  lines.push(
    `| ${k.toLocaleString('en-US')} idle SSE sessions, fresh server: RSS (growth per session) | sse | ${k} | ` +
      `${idleCell(o)} | ${idleCell(s)} | | ${both ? `${fmtX(ratio(o.rss_kb, s.rss_kb))} RSS` : ''} | | |`,
  );
  idleInfo[k] = { ours: o ?? null, sdk: s ?? null, ours_kb_per_session: per(o), sdk_kb_per_session: per(s) };
}
const tlsInfo = {};
for (const r of idleTls.sort((a, b) => a.sessions - b.sessions)) {
  const k = r.sessions;
  const per = r.load.opened ? (r.rss_kb - r.rss_before_kb) / r.load.opened : null;
  const clear = idleInfo[k]?.ours_kb_per_session ?? null;
  const cell = r.load.opened
    ? `${mb(r.rss_kb)} (${per.toFixed(1)} kB) · ${r.load.opened}/${k} open`
    : `failed: ${(r.load.first_error || 'no stream opened').slice(0, 120).replace(/\|/g, '/')}`;
  const extra = per != null && clear != null ? `TLS adds ${(per - clear).toFixed(1)} kB per connection` : '';
  lines.push(
    `| ${k.toLocaleString('en-US')} idle SSE sessions over TLS, fresh server: RSS (growth per session) | sse+tls | ${k} | ` +
      `${cell} | | | ${extra} | | |`,
  );
  tlsInfo[k] = { ours: r, ours_kb_per_session: per, tls_kb_per_connection: per != null && clear != null ? per - clear : null };
}
lines.push('');
lines.push('How to read this table and how each figure is measured: bench/README.md.');
lines.push('');
writeFileSync(mdOut, lines.join('\n'));

writeFileSync(
  jsonOut,
  JSON.stringify(
    {
      meta,
      summary,
      runs: runs.map(({ load, ...r }) => ({ ...r, load })),
      idle_sse: idleInfo,
      idle_tls: tlsInfo,
      rss_under_load_kb: { ours: peakRss('ours'), sdk: peakRss('sdk'), nginx: peakRss('nginx') },
      skipped,
    },
    null,
    2,
  ) + '\n',
);
