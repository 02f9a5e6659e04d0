#!/usr/bin/env bash
# make bench: this server, the official-SDK server and nginx, same machine, same fake AWS (and the
# same nginx AWS stand-in, bench/standin/), same load generator; writes bench/results/latest.md and
# latest.json. See bench/README.md.
#
# Knobs (environment): BENCH_SECONDS (measured seconds per run, default 3), BENCH_WARMUP (0.5),
# BENCH_CONCURRENCY ("1 16 64 256"), BENCH_IDLE_SESSIONS ("1000 10000"), BENCH_PIN (1: pin the
# server under test to core 0 and the load generator + fake AWS to core 1 when there are >= 2
# cores; 0: no pinning, our server uses all cores), BENCH_SCENARIOS (space-separated subset of:
# tools_list ping call_list_monitored_services call_list_slis standin_call_list_monitored_services
# standin_call_list_slis modern_tools_list modern_call_list_monitored_services sse_tools_list
# cluster_sse_tools_list idle_sse start).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
BIN=${APPSIGNALS_BIN:-$ROOT/build/bin/appsignals-mcp}
RESULTS=$BENCH/results
DUR=${BENCH_SECONDS:-3}
WARM=${BENCH_WARMUP:-0.5}
CONCS=${BENCH_CONCURRENCY:-"1 16 64 256"}
IDLE_COUNTS=${BENCH_IDLE_SESSIONS:-"1000 10000"}
SCENARIOS=${BENCH_SCENARIOS:-"start tools_list ping call_list_monitored_services call_list_slis standin_call_list_monitored_services standin_call_list_slis modern_tools_list modern_call_list_monitored_services sse_tools_list cluster_sse_tools_list idle_sse idle_tls"}
PIN=${BENCH_PIN:-1}

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }

[[ -x $BIN ]] || die "no $BIN (run make build)"
NODE=$ROOT/tests/e2e/node_modules/.bin/node
[[ -x $NODE ]] || NODE=$(command -v node) || die "no node (run make deps)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -d $BENCH/peers/node_modules/@modelcontextprotocol/sdk ]] ||
  die "bench/peers is not installed: npm ci --prefix bench/peers (make deps does it)"

WORK=$(mktemp -d /tmp/appsignals-bench.XXXXXX)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 0.2
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
log "file descriptor limit $(ulimit -n)"

# ---- pinning ---------------------------------------------------------------------------------
CORES=$(nproc)
SERVER_CPU=() LOAD_CPU=() OUR_THREADS=()
if [[ $PIN == 1 && $CORES -ge 2 ]] && command -v taskset >/dev/null; then
  SERVER_CPU=(taskset -c 0)
  LOAD_CPU=(taskset -c 1)
  OUR_THREADS=(--threads 1)
  PINNING="server under test on core 0 (ours with --threads 1, node, one nginx worker); load generator, fake AWS and AWS stand-in on core 1"
else
  PINNING="none (${CORES} cores shared; ours uses its default thread count)"
fi
log "pinning: $PINNING"

# ---- load generator --------------------------------------------------------------------------
LOADGEN=$WORK/loadgen
log "building the load generator"
g++ -O2 -std=c++20 -DNDEBUG "$BENCH/loadgen/loadgen.cc" -o "$LOADGEN" -lboost_json -lssl -lcrypto -lpthread

# ---- starting servers ------------------------------------------------------------------------
# start NAME CMD...: starts CMD with its output on a pipe, waits for "listening on
# http://127.0.0.1:PORT", and sets PORT_<NAME>, PID_<NAME> and START_MS_<NAME> (spawn to that
# line). The rest of its output is drained into $WORK/NAME.log.
start() {
  local name=$1; shift
  local t0=$EPOCHREALTIME fd line port=""
  exec {fd}< <(exec "$@" 2>&1)
  local pid=$!
  PIDS+=("$pid")
  while IFS= read -r -t 30 -u "$fd" line; do
    printf '%s\n' "$line" >>"$WORK/$name.log"
    if [[ $line =~ listening\ on\ https?://127\.0\.0\.1:([0-9]+) ]]; then port=${BASH_REMATCH[1]}; break; fi
  done
  local t1=$EPOCHREALTIME
  [[ -n $port ]] || { cat "$WORK/$name.log" >&2 2>/dev/null; die "$name did not report a listen address"; }
  cat <&"$fd" >>"$WORK/$name.log" &
  PIDS+=("$!")
  exec {fd}<&-
  printf -v "PORT_$name" '%s' "$port"
  printf -v "PID_$name" '%s' "$pid"
  printf -v "START_MS_$name" '%s' "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)*1000}')"
}

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The same over a comma-separated list of pids (the cluster row: instances, proxy and Redis).
sum_over() { local f=$1 p t=0; for p in ${2//,/ }; do t=$(( t + $($f "$p") )); done; echo "$t"; }
TICKS=$(getconf CLK_TCK)

# The fake AWS: reads its export lines.
"${LOAD_CPU[@]}" "$BIN" fakeaws --port 0 >"$WORK/fakeaws.out" 2>&1 &
PIDS+=("$!")
for _ in $(seq 300); do grep -q '^export AWS_REGION' "$WORK/fakeaws.out" 2>/dev/null && break; sleep 0.02; done
grep -q '^export AWS_ENDPOINT_URL' "$WORK/fakeaws.out" || { cat "$WORK/fakeaws.out" >&2; die "fake AWS did not start"; }
eval "$(grep '^export ' "$WORK/fakeaws.out")"
unset MCP_API_KEY MCP_API_KEY_FILE SSL_CERTFILE SSL_KEYFILE
export NO_PROXY=127.0.0.1,localhost,::1 no_proxy=127.0.0.1,localhost,::1  # the fake is on loopback
log "fake AWS at $AWS_ENDPOINT_URL"

free_port() { "$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# The AWS stand-in (bench/standin/): nginx answering the benchmarked tools' AWS requests with the
# bytes captured from the fake AWS, no signature check, next to the load generator on core 1. Its
# files are copied to $WORK so nginx workers (an unprivileged user when started as root) read them.
STANDIN_PORT=$(free_port)
mkdir -p "$WORK/standin/logs"
cp -r "$BENCH/standin/aws" "$BENCH/standin/mcp" "$BENCH/standin/_post" "$BENCH/standin/index.json" "$WORK/standin/"
chmod -R a+rX "$WORK/standin"
chmod 755 "$WORK"
"$NODE" "$BENCH/standin/nginx_conf.mjs" "$WORK/standin" "$WORK/standin" "$STANDIN_PORT" >"$WORK/standin/nginx.conf"
"${LOAD_CPU[@]}" "$NGINX" -p "$WORK/standin" -c "$WORK/standin/nginx.conf" -e "$WORK/standin/logs/error.log" &
PIDS+=("$!")
for _ in $(seq 1000); do curl -s -o /dev/null "http://127.0.0.1:$STANDIN_PORT/health" && break; sleep 0.005; done
STANDIN_URL=http://127.0.0.1:$STANDIN_PORT
log "AWS stand-in at $STANDIN_URL ($(grep -c '"file"' "$BENCH/standin/index.json") canned answers)"

start ours_session "${SERVER_CPU[@]}" "$BIN" serve --host 127.0.0.1 --port 0 "${OUR_THREADS[@]}"
IDLE_RSS_ours=$(rss_kb "$PID_ours_session")
start ours_stateless "${SERVER_CPU[@]}" "$BIN" serve --host 127.0.0.1 --port 0 --stateless "${OUR_THREADS[@]}"
log "ours: sessions on $PORT_ours_session, stateless on $PORT_ours_stateless (start ${START_MS_ours_session} ms)"
if wants standin_call_list_monitored_services || wants standin_call_list_slis; then
  start ours_standin "${SERVER_CPU[@]}" env AWS_ENDPOINT_URL="$STANDIN_URL" "$BIN" serve --host 127.0.0.1 --port 0 "${OUR_THREADS[@]}"
fi

mcp_post() { # PORT BODY -> response body (stateless server)
  curl -s -X POST "http://127.0.0.1:$1/mcp" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' --data-binary "$2"
}
TOOLS_LIST='{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
PING='{"jsonrpc":"2.0","id":1,"method":"ping"}'
mcp_post "$PORT_ours_stateless" "$TOOLS_LIST" >"$WORK/tools_list.json"
mcp_post "$PORT_ours_stateless" "$PING" >"$WORK/ping.json"
"$NODE" -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
  require("fs").writeFileSync(process.argv[2], JSON.stringify(r.result.tools));
  console.log(r.result.tools.map(t=>t.name).join(" "))' "$WORK/tools_list.json" "$WORK/tools.json" >"$WORK/tool_names"
TOOL_COUNT=$(wc -w <"$WORK/tool_names")
has_tool() { grep -qw "$1" "$WORK/tool_names"; }
log "ours serves $TOOL_COUNT tools ($(wc -c <"$WORK/tools_list.json") bytes of tools/list)"

start peer_session "${SERVER_CPU[@]}" "$NODE" "$BENCH/peers/sdk_server.mjs" --port 0 --tools "$WORK/tools.json"
IDLE_RSS_peer=$(rss_kb "$PID_peer_session")
start peer_stateless "${SERVER_CPU[@]}" "$NODE" "$BENCH/peers/sdk_server.mjs" --port 0 --stateless --tools "$WORK/tools.json"
log "SDK peer: sessions on $PORT_peer_session, stateless on $PORT_peer_stateless (start ${START_MS_peer_session} ms)"
STANDIN_OK=
if [[ -n ${PID_ours_standin:-} ]]; then
  start peer_standin "${SERVER_CPU[@]}" env AWS_ENDPOINT_URL="$STANDIN_URL" "$NODE" "$BENCH/peers/sdk_server.mjs" --port 0 --tools "$WORK/tools.json"
  # Both servers must parse every canned answer, and ours must print what it prints against the
  # fake AWS; otherwise the captured answers are stale (bench/README.md: regenerate them).
  if "$NODE" "$BENCH/standin/verify.mjs" "$(printf 'http://127.0.0.1:%s/mcp' "$PORT_ours_standin")" \
      "$(printf 'http://127.0.0.1:%s/mcp' "$PORT_peer_standin")" >&2; then
    STANDIN_OK=1
  fi
fi

# nginx: the same tools/list and ping bodies, byte for byte, as static files.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/static"
cp "$WORK/tools_list.json" "$WORK/nginx/static/mcp"
cp "$WORK/ping.json" "$WORK/nginx/static/ping"
# nginx workers run as an unprivileged user when started as root: let them read the files.
chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/static"
chmod 644 "$WORK/nginx/static/mcp" "$WORK/nginx/static/ping"
nginx_literal() { # file -> single-quoted nginx string ($ through a geo variable, since return expands variables)
  "$NODE" -e 'const b=require("fs").readFileSync(process.argv[1],"utf8");
    process.stdout.write("\x27"+b.replace(/\\/g,"\\\\").replace(/\x27/g,"\\\x27").replace(/\$/g,"${dollar}")+"\x27")' "$1"
}
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections $(( $(ulimit -n) - 64 )); }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  geo \$dollar { default "\$"; }
  # The proxy ceiling: one HTTP exchange in, one out to the AWS stand-in on kept-alive connections.
  upstream standin { server 127.0.0.1:$STANDIN_PORT; keepalive 1024; keepalive_requests 100000000; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    # The bodies are files served to POSTs: the static module answers POST with 405, which
    # error_page turns into an internal GET of the same file (no length limit, unlike return).
    default_type application/json;
    location = /mcp { root $WORK/nginx/static; error_page 405 =200 \$uri; }
    location = /ping { root $WORK/nginx/static; error_page 405 =200 \$uri; }
    location = /health { return 200 '{"status":"healthy"}'; }
    # POST /call/<tool> -> the stand-in's /mcp-reply/<tool>: our captured reply to that tools/call.
    location /call/ {
      proxy_pass http://standin/mcp-reply/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
t0=$EPOCHREALTIME
"${SERVER_CPU[@]}" "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
PID_nginx=$!
PIDS+=("$PID_nginx")
for _ in $(seq 1000); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/health" && break; sleep 0.005; done
START_MS_nginx=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", (b-a)*1000}')
curl -s -X POST "http://127.0.0.1:$NGINX_PORT/mcp" -d '{}' >"$WORK/nginx_tools_list.json"
cmp -s "$WORK/nginx_tools_list.json" "$WORK/tools_list.json" || log "warning: nginx body differs from ours"
NGINX_WORKER=$(pgrep -P "$PID_nginx" | head -1)
IDLE_RSS_nginx=$(( $(rss_kb "$PID_nginx") + $(rss_kb "$NGINX_WORKER") ))
log "nginx on $NGINX_PORT (worker $NGINX_WORKER)"

# ---- runs ------------------------------------------------------------------------------------
JSONL=$WORK/results.jsonl
: >"$JSONL"
skip() { # scenario transport note
  printf '{"scenario":"%s","transport":"%s","skipped":"%s"}\n' "$1" "$2" "$3" >>"$JSONL"
  log "skip $1 ($2): $3"
}

# run SCENARIO TRANSPORT SERVER PID C loadgen-args...: one loadgen run, with the server's CPU
# (from /proc/PID/stat) over the run and its RSS sampled mid-run.
run() {
  local scenario=$1 transport=$2 server=$3 pid=$4 c=$5; shift 5
  local out=$WORK/run.out cpu0 cpu1 rss lg_rc=0
  LOADED=1
  cpu0=$(sum_over cpu_ticks "$pid")
  "${LOAD_CPU[@]}" "$LOADGEN" -c "$c" -d "$DUR" --warmup "$WARM" --timeout 60 "$@" >"$out" 2>"$WORK/run.err" &
  local lg=$!
  sleep "$(awk -v w="$WARM" -v d="$DUR" 'BEGIN{print w + d/2}')"
  rss=$(sum_over rss_kb "$pid")
  [[ $server == nginx ]] && rss=$(( rss + $(rss_kb "$PID_nginx") ))
  wait "$lg" || lg_rc=$?
  cpu1=$(sum_over cpu_ticks "$pid")
  local load
  load=$(tail -1 "$out")
  [[ $load == \{* ]] || load=$(printf '{"requests":0,"errors":1,"first_error":"loadgen failed (exit %s): %s"}' \
    "$lg_rc" "$(tail -c 300 "$WORK/run.err" | tr -d '"\\' | tr '\n' ' ')")
  printf '{"scenario":"%s","transport":"%s","server":"%s","concurrency":%s,"server_cpu_seconds":%s,"rss_kb":%s,"load":%s}\n' \
    "$scenario" "$transport" "$server" "$c" "$(awk -v a="$cpu0" -v b="$cpu1" -v t="$TICKS" 'BEGIN{print (b-a)/t}')" \
    "${rss:-0}" "$load" >>"$JSONL"
  log "$(printf '%-30s %-9s %-5s c=%-3s %s' "$scenario" "$transport" "$server" "$c" \
    "$("$NODE" -e 'const j=JSON.parse(process.argv[1]);console.log(`${Math.round(j.rps??0)} rps p50 ${(j.p50_ms??0).toFixed(2)} ms p99 ${(j.p99_ms??0).toFixed(2)} ms errors ${j.errors}${j.first_error?" ("+j.first_error.slice(0,120)+")":""}`)' "$load")")"
}

url() { echo "http://127.0.0.1:$1$2"; }

# ---- cluster: legacy SSE through nginx round-robin to three instances sharing Redis ----------
# Each POST /messages/ lands on any instance; replies reach the stream's instance through Redis
# pub/sub. Everything of the cluster (three instances with --threads 1, the nginx proxy, Redis)
# runs on the server core; its CPU and RSS in the row are their sum.
CLUSTER_PIDS=
if wants cluster_sse_tools_list; then
  REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)
  if [[ ! -x $REDIS_SERVER ]]; then
    skip cluster_sse_tools_list sse "no redis-server (Debian package redis-server; make deps)"
  else
    REDIS_PORT=$(free_port)
    mkdir -p "$WORK/redis"
    "${SERVER_CPU[@]}" "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$WORK/redis" --daemonize no >"$WORK/redis.log" 2>&1 &
    PID_redis=$!
    PIDS+=("$PID_redis")
    for _ in $(seq 500); do grep -q 'Ready to accept connections' "$WORK/redis.log" && break; sleep 0.01; done
    CLUSTER_PIDS=$PID_redis
    CLUSTER_UPSTREAMS=
    for i in 1 2 3; do
      start "cluster_$i" "${SERVER_CPU[@]}" env MCP_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" MCP_INSTANCE_ID="bench-$i" \
        "$BIN" serve --host 127.0.0.1 --port 0 "${OUR_THREADS[@]}"
      pid_var=PID_cluster_$i port_var=PORT_cluster_$i
      CLUSTER_PIDS+=",${!pid_var}"
      CLUSTER_UPSTREAMS+="    server 127.0.0.1:${!port_var} max_fails=0;"$'\n'
    done
    CLUSTER_PORT=$(free_port)
    mkdir -p "$WORK/cluster-nginx/logs"
    cat >"$WORK/cluster-nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $WORK/cluster-nginx/nginx.pid;
error_log $WORK/cluster-nginx/logs/error.log warn;
events { worker_connections $(( $(ulimit -n) - 64 )); }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $WORK/cluster-nginx/client_body;
  proxy_temp_path $WORK/cluster-nginx/proxy;
  fastcgi_temp_path $WORK/cluster-nginx/fastcgi;
  uwsgi_temp_path $WORK/cluster-nginx/uwsgi;
  scgi_temp_path $WORK/cluster-nginx/scgi;
  upstream mcp {
$CLUSTER_UPSTREAMS    keepalive 1024;
  }
  server {
    listen 127.0.0.1:$CLUSTER_PORT;
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
EOF
    "${SERVER_CPU[@]}" "$NGINX" -p "$WORK/cluster-nginx" -c "$WORK/cluster-nginx/nginx.conf" -e "$WORK/cluster-nginx/logs/error.log" &
    PID_cluster_nginx=$!
    PIDS+=("$PID_cluster_nginx")
    # Ready: every instance opens a /sse stream (it has written its heartbeat to Redis).
    for i in 1 2 3; do
      port_var=PORT_cluster_$i
      for _ in $(seq 200); do
        [[ $(curl -s -m 0.3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${!port_var}/sse") == 200 ]] && break
        sleep 0.02
      done
    done
    for _ in $(seq 500); do curl -s -o /dev/null "http://127.0.0.1:$CLUSTER_PORT/health" && break; sleep 0.01; done
    CLUSTER_PIDS+=",$(pgrep -P "$PID_cluster_nginx" | head -1)"
    log "cluster: nginx on $CLUSTER_PORT round-robin over ports $PORT_cluster_1 $PORT_cluster_2 $PORT_cluster_3, Redis on $REDIS_PORT"
  fi
fi
TL_ARGS=(--body "$TOOLS_LIST" --expect '"tools"')
PING_ARGS=(--body "$PING" --expect '"result"')
MODERN_HEADERS=(--header 'MCP-Protocol-Version: 2026-07-28')
modern_body() { # METHOD PARAMS-BEFORE-META (empty, or ending with a comma)
  echo "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":{$2\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}}}"
}
call_args() { echo "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"$1\",\"arguments\":{}}}"; }

for c in $CONCS; do
  if wants tools_list; then
    run tools_list stateless ours "$PID_ours_stateless" "$c" --url "$(url "$PORT_ours_stateless" /mcp)" "${TL_ARGS[@]}"
    run tools_list stateless sdk "$PID_peer_stateless" "$c" --url "$(url "$PORT_peer_stateless" /mcp)" "${TL_ARGS[@]}"
    run tools_list stateless nginx "$NGINX_WORKER" "$c" --url "$(url "$NGINX_PORT" /mcp)" "${TL_ARGS[@]}"
    run tools_list session ours "$PID_ours_session" "$c" --session --url "$(url "$PORT_ours_session" /mcp)" "${TL_ARGS[@]}"
    run tools_list session sdk "$PID_peer_session" "$c" --session --url "$(url "$PORT_peer_session" /mcp)" "${TL_ARGS[@]}"
  fi
  if wants ping; then
    run ping stateless ours "$PID_ours_stateless" "$c" --url "$(url "$PORT_ours_stateless" /mcp)" "${PING_ARGS[@]}"
    run ping stateless sdk "$PID_peer_stateless" "$c" --url "$(url "$PORT_peer_stateless" /mcp)" "${PING_ARGS[@]}"
    run ping stateless nginx "$NGINX_WORKER" "$c" --url "$(url "$NGINX_PORT" /ping)" "${PING_ARGS[@]}"
    run ping session ours "$PID_ours_session" "$c" --session --url "$(url "$PORT_ours_session" /mcp)" "${PING_ARGS[@]}"
    run ping session sdk "$PID_peer_session" "$c" --session --url "$(url "$PORT_peer_session" /mcp)" "${PING_ARGS[@]}"
  fi
  for tool in list_monitored_services list_slis; do
    wants "call_$tool" || continue
    if ! has_tool "$tool"; then
      [[ $c == "${CONCS%% *}" ]] && skip "call_$tool" session "our server does not list $tool in tools/list yet"
      continue
    fi
    body=$(call_args "$tool")
    run "call_$tool" session ours "$PID_ours_session" "$c" --session --url "$(url "$PORT_ours_session" /mcp)" \
      --body "$body" --expect '"content"' --reject '"isError":true'
    run "call_$tool" session sdk "$PID_peer_session" "$c" --session --url "$(url "$PORT_peer_session" /mcp)" \
      --body "$body" --expect '"content"' --reject '"isError":true'
  done
  # The same tool calls against the AWS stand-in (what is left is our own cost), and the nginx
  # proxy ceiling: the same POST forwarded to the stand-in, which returns our captured reply.
  for tool in list_monitored_services list_slis; do
    wants "standin_call_$tool" || continue
    if [[ -z $STANDIN_OK ]]; then
      [[ $c == "${CONCS%% *}" ]] && skip "standin_call_$tool" session "the stand-in's captured answers are stale (see the log; bench/README.md: regenerate)"
      continue
    fi
    body=$(call_args "$tool")
    run "standin_call_$tool" session ours "$PID_ours_standin" "$c" --session --url "$(url "$PORT_ours_standin" /mcp)" \
      --body "$body" --expect '"content"' --reject '"isError":true'
    run "standin_call_$tool" session sdk "$PID_peer_standin" "$c" --session --url "$(url "$PORT_peer_standin" /mcp)" \
      --body "$body" --expect '"content"' --reject '"isError":true'
    run "standin_call_$tool" session nginx "$NGINX_WORKER" "$c" --url "$(url "$NGINX_PORT" "/call/$tool")" \
      --body "$body" --expect '"content"' --reject '"isError":true'
  done
  # 2026-07-28 (stateless era): every request carries its _meta and the Mcp-* headers, no
  # session. Ours only: the SDK peer (@modelcontextprotocol/sdk v1) does not speak this era.
  if wants modern_tools_list; then
    run modern_tools_list modern ours "$PID_ours_session" "$c" --url "$(url "$PORT_ours_session" /mcp)" \
      --body "$(modern_body tools/list '')" "${MODERN_HEADERS[@]}" --header 'Mcp-Method: tools/list' --expect '"tools"'
  fi
  if wants modern_call_list_monitored_services && has_tool list_monitored_services; then
    run modern_call_list_monitored_services modern ours "$PID_ours_session" "$c" --url "$(url "$PORT_ours_session" /mcp)" \
      --body "$(modern_body tools/call '"name":"list_monitored_services","arguments":{},')" "${MODERN_HEADERS[@]}" \
      --header 'Mcp-Method: tools/call' --header 'Mcp-Name: list_monitored_services' --expect '"content"' --reject '"isError":true'
  fi
  if wants sse_tools_list; then
    run sse_tools_list sse ours "$PID_ours_session" "$c" --mode sse --url "$(url "$PORT_ours_session" /sse)" "${TL_ARGS[@]}"
    run sse_tools_list sse sdk "$PID_peer_session" "$c" --mode sse --url "$(url "$PORT_peer_session" /sse)" "${TL_ARGS[@]}"
  fi
  if [[ -n $CLUSTER_PIDS ]]; then
    run cluster_sse_tools_list sse ours "$CLUSTER_PIDS" "$c" --mode sse --url "$(url "$CLUSTER_PORT" /sse)" "${TL_ARGS[@]}"
  fi
done

# ---- RSS after the load ----------------------------------------------------------------------
# What each server keeps once the load is over (ours returns free heap to the kernel within
# about 5 s of a burst; see src/app/memory_trim.h).
SETTLED_RSS_ours=null SETTLED_RSS_peer=null
if [[ -n ${LOADED:-} ]]; then
  sleep "${BENCH_SETTLE:-7}"
  SETTLED_RSS_ours=$(rss_kb "$PID_ours_session")
  SETTLED_RSS_peer=$(rss_kb "$PID_peer_session")
  log "RSS after the load settled: ours $((SETTLED_RSS_ours / 1024)) MB, SDK $((SETTLED_RSS_peer / 1024)) MB"
fi

# ---- idle SSE sessions -----------------------------------------------------------------------
# Measured on freshly started servers, so the figure is what K idle sessions cost, not what the
# load runs before them left behind (that is the row above).
# idle SERVER PID PORT K [SCHEME SCENARIO]: opens K streams (TLS ones with SCHEME https), reads
# RSS once all are open, then closes them.
idle() {
  local server=$1 pid=$2 port=$3 k=$4 scheme=${5:-http} scenario=${6:-idle_sse} out=$WORK/idle.$1.$4.out base
  rm -f "$out" # the redirection below truncates in the child, after the parent may already look
  base=$(rss_kb "$pid")
  "${LOAD_CPU[@]}" "$LOADGEN" --mode idle-sse --url "$scheme://127.0.0.1:$port/sse" --count "$k" --hold 600 \
    --sources 8 --timeout 240 >"$out" 2>"$WORK/idle.err" &
  local lg=$!
  for _ in $(seq 2500); do [[ -s $out ]] && break; kill -0 "$lg" 2>/dev/null || break; sleep 0.1; done
  sleep 0.5 # let the server settle (allocations after the endpoint event)
  local rss
  rss=$(sum_over rss_kb "$pid")
  local alive=yes lg_rc=0
  kill -0 "$lg" 2>/dev/null || alive=no
  kill -TERM "$lg" 2>/dev/null || true
  wait "$lg" 2>/dev/null || lg_rc=$?
  local load
  load=$(head -1 "$out")
  [[ $load == \{* ]] || load=$(printf '{"opened":0,"failed":0,"first_error":"loadgen failed (alive at read: %s, exit %s, stdout %s bytes): %s"}' \
    "$alive" "$lg_rc" "$(wc -c <"$out")" "$(tail -c 300 "$WORK/idle.err" | tr -d '"\\' | tr '\n' ' ')")
  printf '{"scenario":"%s","transport":"sse","server":"%s","sessions":%s,"rss_kb":%s,"rss_before_kb":%s,"load":%s}\n' \
    "$scenario" "$server" "$k" "${rss:-0}" "${base:-0}" "$load" >>"$JSONL"
  log "$scenario $server k=$k: RSS $((rss / 1024)) MB (before $((base / 1024)) MB) $load"
  sleep 1 # let the server release the closed sessions
}
if wants idle_sse; then
  # Every stream of the load generator is the same (unauthenticated) principal: lift the
  # per-principal stream cap (MCP_MAX_SESSIONS_PER_KEY, 1000) for this row.
  start ours_idle "${SERVER_CPU[@]}" env MCP_MAX_SESSIONS_PER_KEY=20000 MCP_MAX_SESSIONS=20000 \
    "$BIN" serve --host 127.0.0.1 --port 0 "${OUR_THREADS[@]}"
  start peer_idle "${SERVER_CPU[@]}" "$NODE" "$BENCH/peers/sdk_server.mjs" --port 0 --tools "$WORK/tools.json"
  for k in $IDLE_COUNTS; do
    idle ours "$PID_ours_idle" "$PORT_ours_idle" "$k"
  done
  for k in $IDLE_COUNTS; do
    # The SDK keeps an McpServer per SSE stream (several hundred kB each): skip counts that would
    # not fit in half the available memory, with a note.
    per_kb=${PEER_SSE_KB:-0}
    avail_kb=$(awk '/^MemAvailable:/{print $2}' /proc/meminfo)
    if (( per_kb > 0 && per_kb * k > avail_kb / 2 )); then
      skip idle_sse_sdk_$k sse "projected $((per_kb * k / 1024)) MB exceeds half the available memory"
      continue
    fi
    idle sdk "$PID_peer_idle" "$PORT_peer_idle" "$k"
    PEER_SSE_KB=$("$NODE" -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop();
      const j=JSON.parse(l); console.log(Math.ceil((j.rss_kb-j.rss_before_kb)/Math.max(1,j.sessions)))' "$JSONL")
  done
fi

# Idle legacy SSE streams over TLS (direct HTTPS, a gen-cert certificate): what an idle TLS
# connection costs on top of the same stream in clear.
if wants idle_tls; then
  "$BIN" gen-cert --dns 127.0.0.1 --out "$WORK/cert" --force >/dev/null
  start ours_tls "${SERVER_CPU[@]}" env SSL_CERTFILE="$WORK/cert/cert.pem" SSL_KEYFILE="$WORK/cert/key.pem" \
    MCP_MAX_SESSIONS_PER_KEY=20000 MCP_MAX_SESSIONS=20000 \
    "$BIN" serve --host 127.0.0.1 --port 0 "${OUR_THREADS[@]}"
  for k in $IDLE_COUNTS; do
    idle ours "$PID_ours_tls" "$PORT_ours_tls" "$k" https idle_tls
  done
fi

# ---- meta, report ----------------------------------------------------------------------------
cat >"$WORK/meta.json" <<EOF
{"date":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","commit":"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)",
 "dirty":$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null && echo false || echo true),
 "host":"$(uname -srm)","cores":$CORES,"cpu":"$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)",
 "pinning":"$PINNING","seconds":$DUR,"warmup":$WARM,"tool_count":$TOOL_COUNT,
 "tools_list_bytes":$(wc -c <"$WORK/tools_list.json"),
 "node":"$("$NODE" --version)","sdk":"$("$NODE" -p 'require(process.argv[1]).version' "$BENCH/peers/node_modules/@modelcontextprotocol/sdk/package.json")",
 "nginx":"$("$NGINX" -v 2>&1 | sed 's/.*nginx\///')",
 "start_ms":{"ours":$START_MS_ours_session,"sdk":$START_MS_peer_session,"nginx":$START_MS_nginx},
 "idle_rss_kb":{"ours":$IDLE_RSS_ours,"sdk":$IDLE_RSS_peer,"nginx":$IDLE_RSS_nginx},
 "settled_rss_kb":{"ours":$SETTLED_RSS_ours,"sdk":$SETTLED_RSS_peer}}
EOF
mkdir -p "$RESULTS"
"$NODE" "$BENCH/report.mjs" "$WORK/meta.json" "$JSONL" "$RESULTS/latest.json" "$RESULTS/latest.md"
log "wrote $RESULTS/latest.md and latest.json"
cat "$RESULTS/latest.md"
