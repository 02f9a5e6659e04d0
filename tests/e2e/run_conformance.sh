#!/usr/bin/env bash
# Runs the official MCP conformance suite against build/bin/mcp-conformance-server.
# Fails on any failed scored scenario of the 2025-11-25 requirement set (handshake era) and of
# the 2026-07-28 set (stateless era, same endpoint). Each run also executes its unscored
# scenarios (tasks extension, pending ones); they are printed, never counted.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin_dir="${1:-$here/../../build/bin}"
node="$here/node_modules/.bin/node"
suite="$here/node_modules/@modelcontextprotocol/conformance/dist/index.js"
[ -x "$node" ] && [ -f "$suite" ] || { echo "npm test clients missing: run 'make deps'"; exit 1; }

out="$(mktemp -d)"
mkfifo "$out/ready"
"$bin_dir/mcp-conformance-server" --port 0 >"$out/ready" 2>"$out/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$out"' EXIT
# The server prints one line, "listening on http://127.0.0.1:<port>/mcp", once it accepts.
exec 3<"$out/ready"
read -r -t 30 line <&3 || { echo "conformance server did not start"; cat "$out/server.log"; exit 1; }
port="$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")"
url="http://127.0.0.1:$port/mcp"

status=0
for revision in 2025-11-25 2026-07-28; do
  echo "=== conformance --requirements $revision"
  # The suite exits non-zero when a scored scenario fails (unscored ones never count).
  "$node" "$suite" server --url "$url" --requirements "$revision" >"$out/$revision.txt" 2>&1 || status=$?
  # (its "Total:" line renamed, so log readers do not take it for the test runner's own tally)
  sed -n '/=== SUMMARY ===/,$p' "$out/$revision.txt" | sed 's/^Total: /all checks: /'
done
exit $status
