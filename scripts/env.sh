# Shared environment for the project's scripts (sourced, not run).
# One warm cargo target directory outside the clone, so a fresh clone (and CI) reuses the build.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  if mkdir -p /var/cache/bank-portal/target 2>/dev/null && [ -w /var/cache/bank-portal/target ]; then
    export CARGO_TARGET_DIR=/var/cache/bank-portal/target
  else
    export CARGO_TARGET_DIR="$PWD/target"
  fi
fi
export PATH="$HOME/.cargo/bin:$PATH"
# The server binary that `cargo leptos build --release` produces.
export PORTAL_BIN="$CARGO_TARGET_DIR/release/bank-portal"
