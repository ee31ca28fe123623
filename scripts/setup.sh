#!/usr/bin/env bash
# Installs what building the app needs, when missing: the wasm target, Trunk and wasm-bindgen-cli
# at the versions this repository pins, and (`node_tools`) Node with package.json's tools. Sourced
# by serve.sh and test.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"

# Build output is cached between runs on one machine; a fresh machine simply builds it all.
export DISTILL_LAB_CACHE="${DISTILL_LAB_CACHE:-$HOME/.cache/distill-lab}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$DISTILL_LAB_CACHE/target}"
# node_modules/.bin holds binaryen's wasm-opt, which Trunk runs on the page's wasm (index.html).
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Each step prints how long the one before it took, and `phase_summary` lists them all: the
# README's per-phase times come from these lines.
PHASES=()
PHASE_NAME=""
PHASE_START=$SECONDS
phase_end() {
    if [ -n "$PHASE_NAME" ]; then
        local took=$((SECONDS - PHASE_START))
        PHASES+=("$(printf '%5d s  %s' "$took" "$PHASE_NAME")")
        printf '    (%s: %d s)\n' "$PHASE_NAME" "$took"
    fi
    PHASE_NAME=""
}
step() {
    phase_end
    PHASE_NAME="$*"
    PHASE_START=$SECONDS
    printf '\n==> %s\n' "$*"
}
phase_summary() {
    phase_end
    printf '\nphases:\n'
    printf '  %s\n' "${PHASES[@]}"
}

if ! command -v cargo >/dev/null || ! command -v rustup >/dev/null; then
    echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
    exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qF "$TRUNK_VERSION"; then
    step "installing Trunk $TRUNK_VERSION (a few minutes, once)"
    # Unoptimised and without its TLS and update-check features: Trunk here only copies files,
    # runs cargo and wasm-bindgen, and serves loopback over plain HTTP, so its own speed does not
    # matter, while an optimised build with TLS took 14 of a cold run's minutes.
    cargo install trunk --version "$TRUNK_VERSION" --locked --debug --no-default-features
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qF "$BINDGEN_VERSION"; then
    step "installing wasm-bindgen-cli $BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: its own lock file pins a crate version the registry no longer serves.
    # Lightly optimised, without LTO: it rewrites every build's wasm (a 39 MB WebGPU engine among them),
    # which an unoptimised build does slowly, while full optimisation costs compile minutes.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        CARGO_PROFILE_RELEASE_DEBUG=false \
        cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

if ! grep -qF "wasm_bindgen = \"$BINDGEN_VERSION\"" "$ROOT/Trunk.toml"; then
    echo "Trunk.toml's [tools] wasm_bindgen must be $BINDGEN_VERSION, the version in Cargo.lock." >&2
    exit 1
fi

# Trunk runs cargo with --offline (no tool downloads at build time), so every crate of the lock
# file, for every target, is fetched first; a no-op once they are in cargo's cache.
step "fetching crates"
(cd "$ROOT" && cargo fetch --locked)

# Installs Debian packages when a command is missing (as root, or through sudo).
apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    step "installing $* from Debian"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# Clippy's lints run inside the builds the tests need anyway, instead of in check builds of their
# own: `cargo clippy` is exactly this wrapper over `cargo check`, and its check builds of every
# dependency (three of them: native, the page with the CPU engine, the WebGPU engine) took 14 of a
# cold run's minutes. Only the workspace's own crates go through clippy-driver; a lint fails the
# build as a warning would under `cargo clippy -- -D warnings`. Every script builds so (serve,
# test, soak, bench), so that they share one build cache.
lint_in_builds() {
    rustup component list --installed | grep -q '^clippy' || rustup component add clippy
    RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
    export RUSTC_WORKSPACE_WRAPPER
    export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}

# Node and npm from Debian when missing, then package-lock.json's packages: the browser tests'
# drivers, and binaryen's wasm-opt for the build.
node_tools() {
    local missing=()
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
    step "installing the Node tools (package-lock.json)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
}

build_app() {
    node_tools
    step "building the app (release)"
    lint_in_builds
    (cd "$ROOT" && trunk build --offline --release)
}
