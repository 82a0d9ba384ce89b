#!/usr/bin/env bash
# How fast one node hands out what a phone downloads: the built CSS, JS and WASM (precompressed,
# brotli) and, for comparison, the server-rendered home page, each with `wrk` over 32
# connections for 10 s. Runs the release build (`./scripts/test.sh` or `./scripts/run.sh`
# builds it) on a fresh SQLite file; prints one table row per file. Installs wrk (Debian) if
# it is missing. Usage: scripts/bench-static.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
CONNECTIONS="${1:-32}"
SECONDS_EACH="${2:-10}"
PORT="${BENCH_PORT:-3470}"
if ! command -v wrk >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
[ -x "$PORTAL_BIN" ] || { echo "no release build at $PORTAL_BIN" >&2; exit 1; }
db="$(mktemp -u /tmp/bench-static-XXXXXX).db"
APP_ENV=development DATABASE_URL="sqlite://$db" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
  LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD RUST_LOG=error "$PORTAL_BIN" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$db" "$db"-*' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
home="http://127.0.0.1:$PORT/"
# The edition chosen as a returning customer's browser has it (a cookie), so the home renders
# rather than redirecting.
edition='Cookie: edition=rural-simple'
html=$(curl -fs -H "$edition" "$home")
echo "| what | bytes sent | requests/s (wrk -c$CONNECTIONS, ${SECONDS_EACH} s) | p99 |"
echo "|---|---|---|---|"
measure() {
  local name=$1 url=$2
  local bytes
  bytes=$(curl -fs -H 'Accept-Encoding: br' -H "$edition" -o /dev/null -w '%{size_download}' "$url")
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -H 'Accept-Encoding: br' -H "$edition" "$url")
  local rate p99
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "| $name | $bytes | $rate | $p99 |"
}
for ext in css js wasm; do
  file=$(grep -oE "/pkg/[^\"']+\.$ext" <<<"$html" | head -1)
  [ -n "$file" ] && measure "$file (brotli)" "http://127.0.0.1:$PORT$file"
done
measure "/ rendered (rural-simple, signed out)" "$home"
