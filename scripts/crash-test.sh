#!/usr/bin/env bash
# Crash test (issue 4): loads the release build with transfers, kills it with SIGKILL several
# times mid-load, restarts it, and checks the ledger's invariants and that every acknowledged
# transfer is stored exactly once. Arguments: transfers per demo customer (default 12), kills
# (default 3). Needs `cargo leptos build --release` first (test.sh does it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
node end2end/crash.mjs "${1:-12}" "${2:-3}"
