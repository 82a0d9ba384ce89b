#!/usr/bin/env bash
# Sets up whatever is missing and runs every test:
#   1. formatting and clippy (server side and WASM side),
#   2. Rust unit and integration tests on SQLite and PostgreSQL,
#   3. the release build and the Playwright end-to-end suite in Debian's Chromium,
#   4. the crash test (SIGKILL mid-load) against the release build.
# Every part runs even when an earlier one failed, so one run shows everything that is wrong; the
# command exits non-zero when any part failed, and its last line is always `N passed, M failed`.
# PostgreSQL comes from TEST_DATABASE_URL (default: the local server at 127.0.0.1:5432). Outside
# CI an unreachable server is skipped, said in the summary; with CI=true it fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1
. scripts/env.sh

step() { printf '\n\033[1;35m==> %s\033[0m\n' "$*"; }

# The warm target directory keeps every build's test binaries (about 1 GB each with debug
# information) under new hashes; only the newest of each name is ever run again. Dropping the
# others keeps a machine that runs the suite every day from filling its disk.
prune_old_test_binaries() {
  local deps="$CARGO_TARGET_DIR/debug/deps"
  [ -d "$deps" ] || return 0
  find "$deps" -maxdepth 1 -type f -perm -u+x -name '*-*' ! -name '*.*' -printf '%T@ %p\n' \
    | sort -rn | awk '{ name = $2; sub(/-[0-9a-f]+$/, "", name); if (seen[name]++) print $2 }' \
    | xargs -r rm -f
}
prune_old_test_binaries

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if [ "${CI:-}" = "true" ]; then
  export REQUIRE_POSTGRES=1
fi
postgres_reachable() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ! postgres_reachable && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  step "starting the local PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
postgres_note=""
if ! postgres_reachable; then
  postgres_note=" (PostgreSQL SKIPPED: unreachable, only SQLite was tested)"
fi

# Checks that are one pass or one failure each (formatting, lints, build, crash test).
checks_passed=0 checks_failed=0 failed_parts=()
check() {
  local name="$1"; shift
  step "$name"
  if "$@"; then
    checks_passed=$((checks_passed + 1))
    return 0
  fi
  checks_failed=$((checks_failed + 1))
  failed_parts+=("$name")
  return 1
}

check "cargo fmt --check" cargo fmt --all -- --check
check "cargo clippy (server side)" cargo clippy --workspace --all-targets -- -D warnings
check "cargo clippy (WASM side)" cargo clippy -p app --lib --no-default-features --features hydrate \
  --target wasm32-unknown-unknown -- -D warnings

step "Rust tests (SQLite + PostgreSQL at ${TEST_DATABASE_URL})"
# --no-fail-fast: one failing test binary must not hide the results of the others.
cargo test --workspace --no-fail-fast 2>&1 | tee /tmp/bank-portal-cargo-test.log
cargo_status=${PIPESTATUS[0]}
rust_passed=$(grep -E '^test result:' /tmp/bank-portal-cargo-test.log | awk '{s+=$4} END {print s+0}')
rust_failed=$(grep -E '^test result:' /tmp/bank-portal-cargo-test.log | awk '{s+=$6} END {print s+0}')
if [ "$cargo_status" != 0 ] && [ "$rust_failed" = 0 ]; then
  # A build error or a crashed test binary prints no failing `test result:` line: count it.
  rust_failed=1
fi
[ "$rust_failed" = 0 ] || failed_parts+=("Rust tests")

e2e_passed=0 e2e_failed=0 crash_status="not run (no release build)"
if check "release build (server + WASM, wasm-opt, precompressed)" cargo leptos build --release --split --precompress; then
  step "Playwright end-to-end suite"
  rm -f end2end/test-results/results.json
  (cd end2end && npx playwright test)
  read -r e2e_passed e2e_failed < <(node end2end/summary.mjs end2end/test-results/results.json --numbers)
  [ "$e2e_failed" = 0 ] || failed_parts+=("end-to-end")
  crash_status=passed
  check "crash test on SQLite (SIGKILL mid-load, small size)" ./scripts/crash-test.sh 8 3 sqlite \
    || crash_status=FAILED
  if postgres_reachable; then
    check "crash test on PostgreSQL (the portal and the database's backends killed)" \
      ./scripts/crash-test.sh 8 4 postgres || crash_status=FAILED
  fi
else
  e2e_failed=1
  failed_parts+=("end-to-end (not run)")
fi

printf '\nRust: %s passed, %s failed%s. End-to-end: %s passed, %s failed. Crash test: %s.\n' \
  "$rust_passed" "$rust_failed" "$postgres_note" "$e2e_passed" "$e2e_failed" "$crash_status"
if [ "${#failed_parts[@]}" -gt 0 ]; then
  printf 'FAILED:'
  printf ' [%s]' "${failed_parts[@]}"
  printf '\n'
fi
passed=$((rust_passed + e2e_passed + checks_passed))
failed=$((rust_failed + e2e_failed + checks_failed))
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
