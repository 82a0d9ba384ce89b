#!/usr/bin/env bash
# Installs whatever this project needs and is missing, idempotently. Every tool comes from
# crates.io, npm, Debian's packages or rustup's targets: nothing is downloaded from elsewhere.
# Versions are pinned where the machine's rustc (1.95) or Node (20) need it; see
# ../shared/TOOLCHAIN.md for why each pin is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the wasm-bindgen crate version pinned in app/Cargo.toml (`=0.2.x`).
WASM_BINDGEN_VERSION=$(grep -E '^wasm-bindgen *= *"=' app/Cargo.toml | sed -E 's/.*"=([0-9.]+)".*/\1/')

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores, once)"
  # --locked: newer transitive crates need rustc 1.96+. no_downloads: a missing tool is an
  # immediate error instead of a doomed download from outside the registries.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (several minutes, once)"
  # Not --locked: its lockfile pins a yanked webpki-roots.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

apt_missing=()
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
# CJK fonts so screenshots show Chinese, not boxes; the PDFs embed this one.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || apt_missing+=(fonts-wqy-microhei)
# pdftotext: the tests read back the text of the PDF receipts and statements.
command -v pdftotext >/dev/null || apt_missing+=(poppler-utils)
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${apt_missing[@]}"
fi

# Tailwind v4 and binaryen's wasm-opt from npm: cargo-leptos puts ./node_modules/.bin first on
# PATH when package.json sits at the workspace root (Debian's binaryen 108 breaks hydration).
if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci (tailwindcss, binaryen)"
  npm ci --no-audit --no-fund
fi
if [ ! -d end2end/node_modules/@playwright/test ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "npm ci in end2end/ (playwright, axe-core; browser is Debian's chromium)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
log "toolchain ready"
