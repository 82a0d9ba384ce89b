#!/usr/bin/env bash
# Sets up whatever is missing and runs every test:
#   1. formatting and clippy (server side and WASM side),
#   2. Rust unit and integration tests on SQLite and PostgreSQL,
#   3. the release build and the Playwright end-to-end suite in Debian's Chromium.
# PostgreSQL comes from TEST_DATABASE_URL (default: the local server at 127.0.0.1:5432). Outside
# CI an unreachable server is skipped with a loud notice; with CI=true it fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh

step() { printf '\n\033[1;35m==> %s\033[0m\n' "$*"; }

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if [ "${CI:-}" = "true" ]; then
  export REQUIRE_POSTGRES=1
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && command -v pg_ctlcluster >/dev/null \
   && [ -d /etc/postgresql ]; then
  step "starting the local PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (server side, then WASM side)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "Rust tests (SQLite + PostgreSQL at ${TEST_DATABASE_URL})"
cargo test --workspace 2>&1 | tee /tmp/bank-portal-cargo-test.log
rust_passed=$(grep -E '^test result:' /tmp/bank-portal-cargo-test.log | awk '{s+=$4} END {print s+0}')
rust_failed=$(grep -E '^test result:' /tmp/bank-portal-cargo-test.log | awk '{s+=$6} END {print s+0}')

step "release build (server + WASM, wasm-opt)"
cargo leptos build --release

step "Playwright end-to-end suite"
(cd end2end && npx playwright test)
e2e_summary=$(node end2end/summary.mjs end2end/test-results/results.json)

step "crash test (SIGKILL mid-load, small size)"
crash_passed=0 crash_failed=0
if ./scripts/crash-test.sh 8 3; then crash_passed=1; else crash_failed=1; fi

printf '\nRust: %s passed, %s failed. End-to-end: %s. Crash test: %s\n' "$rust_passed" "$rust_failed" \
  "$e2e_summary" "$([ "$crash_failed" = 0 ] && echo passed || echo FAILED)"
read -r e2e_passed e2e_failed < <(node end2end/summary.mjs end2end/test-results/results.json --numbers)
echo "$((rust_passed + e2e_passed + crash_passed)) passed, $((rust_failed + e2e_failed + crash_failed)) failed"
