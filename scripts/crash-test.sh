#!/usr/bin/env bash
# Crash test: loads the release build with transfers, kills it (and, on PostgreSQL, the
# database's backends) with SIGKILL several times while confirmations are in flight, restarts
# it, and checks the ledger's invariants, each customer's money against the acknowledged
# transfers, and that every acknowledged transfer is stored exactly once (end2end/crash.mjs).
# Arguments: transfers per demo customer (default 12), kills (default 3), engine (sqlite or
# postgres, default sqlite). Needs `cargo leptos build --release` first (test.sh does it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
node end2end/crash.mjs "${1:-12}" "${2:-3}" "${3:-sqlite}"
