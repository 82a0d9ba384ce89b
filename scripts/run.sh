#!/usr/bin/env bash
# Sets up whatever is missing, builds the portal, and runs it on embedded SQLite with demo data
# at http://127.0.0.1:3000 (development mode). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
cargo leptos build --release --split --precompress
export APP_ENV="${APP_ENV:-development}"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/bank.db}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_ENV=PROD
echo "Portal: http://$LEPTOS_SITE_ADDR  (database: $DATABASE_URL)"
exec "$PORTAL_BIN"
