// Writes the nginx configuration of the AWS stand-in from bench/standin/index.json (made by
// capture.mjs): one nginx worker answering every AWS request the benchmarked tools make with the
// captured bytes, no signature check. Bench-only.
//
//   node nginx_conf.mjs STANDIN_DIR WORK_DIR PORT > nginx.conf
//
// Routing (stock Debian nginx, no scripting module):
//   - The answer is chosen by one `map` over "METHOD PATH TARGET|NextToken|BODY": the path for the
//     rest-json services, the X-Amz-Target header for the awsJson ones, the NextToken query argument
//     for pages, and literals that must occur in the body where one operation's answer depends on
//     it (the per-service fan-out: KeyAttributes, SLO names).
//   - $request_body is only set once nginx has read the body: `mirror` with `mirror_request_body on`
//     reads it (into one memory buffer) before the content phase; the mirror goes to an internal
//     location that answers 204 and costs a subrequest, not a connection.
//   - The static module answers a POST with 405 (GET is sent to 405 by `return`); `error_page 405
//     =200` then redirects internally to the chosen file with status 200. The map is evaluated
//     there, after the body was read. An unmatched request gets a 404 AWS-style error.
//   - /mcp-reply/<tool>: our server's captured JSON-RPC reply to that tools/call, answered to a POST
//     (what the nginx proxy ceiling forwards to).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [standin, work, port] = process.argv.slice(2);
const index = JSON.parse(readFileSync(join(standin, 'index.json'), 'utf8'));

// A literal inside a PCRE, without backslashes (nginx keeps or eats them depending on context):
// each special character in a class of its own.
const literal = (s) =>
  [...s].map((c) => {
    if ('\\^]'.includes(c)) throw new Error(`cannot match ${JSON.stringify(s)} literally`);
    return '.[$()|*+?{}/'.includes(c) ? `[${c}]` : c;
  }).join('');
const quoted = (s) => `'${s.replace(/'/g, "\\'")}'`;

const routes = index.map((e) => {
  const next = e.match.find(([k]) => k === 'arg:NextToken')?.[1] ?? '';
  const body = e.match.filter(([k]) => k === 'body').map(([, v]) => `(?=.*${literal(v)})`).join('');
  // Most specific first: nginx takes the first regex that matches.
  return { e, specificity: e.match.length, re: `~^${literal(`${e.method} ${e.path} ${e.target}|${next}|`)}${body}` };
});
routes.sort((a, b) => b.specificity - a.specificity);

const contentTypes = new Map(index.map((e) => [e.file, e.content_type]));
const tools = ['list_monitored_services', 'list_slis'];

process.stdout.write(`daemon off;
master_process on;
worker_processes 1;
pid ${work}/standin.pid;
error_log ${work}/logs/standin-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path ${work}/standin-body;
  proxy_temp_path ${work}/standin-proxy;
  fastcgi_temp_path ${work}/standin-fastcgi;
  uwsgi_temp_path ${work}/standin-uwsgi;
  scgi_temp_path ${work}/standin-scgi;
  # The request bodies are small: keep each in one memory buffer, where $request_body reads it.
  client_body_buffer_size 64k;
  client_body_in_single_buffer on;

  map "$request_method $standin_path $http_x_amz_target|$arg_NextToken|$request_body" $standin_file {
    default /_canned/unknown;
${routes.map((r) => `    ${quoted(r.re)} /_canned/${r.e.file};`).join('\n')}
  }

  server {
    listen 127.0.0.1:${port};
    location / {
      set $standin_path $uri;
      if ($request_method = GET) { return 405; }
      rewrite ^ /_post break;
      root ${standin};
      mirror /_read_body;
      mirror_request_body on;
      error_page 405 =200 $standin_file;
    }
    location = /_read_body { internal; return 204; }
${[...contentTypes].map(([file, ct]) => `    location = /_canned/${file} { internal; default_type ${ct}; alias ${standin}/${file}; }`).join('\n')}
    location = /_canned/unknown {
      internal;
      return 404 '{"__type":"ResourceNotFoundException","message":"the AWS stand-in has no answer for this request (bench/standin/capture.mjs records them)"}';
    }
${tools.map((t) => `    location = /mcp-reply/${t} { alias ${standin}/mcp/${t}.json; error_page 405 =200 /_mcp/${t}; }
    location = /_mcp/${t} { internal; alias ${standin}/mcp/${t}.json; }`).join('\n')}
    location = /health { return 200 '{"status":"healthy"}'; }
  }
}
`);
