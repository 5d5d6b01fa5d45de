#!/usr/bin/env bash
# npm run test:fresh — the README's test command as a new machine runs it: an empty VS Code host cache
# (code-server, Node 24, playwright-core are installed again, ~2.5 min), removed afterwards. Apt packages
# the setup installed stay installed (they are the machine's).
set -euo pipefail
cd "$(dirname "$0")/.."
VSCODE_HOST_CACHE="$(mktemp -d "${TMPDIR:-/tmp}/vscode-host-fresh.XXXXXX")"
export VSCODE_HOST_CACHE
trap 'rm -rf "$VSCODE_HOST_CACHE"' EXIT
echo "[test:fresh] empty VS Code host cache: $VSCODE_HOST_CACHE"
npm test
