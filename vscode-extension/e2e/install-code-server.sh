#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest that runs on
# Node 20) and playwright-core into DIR, without downloading anything from
# outside the npm registry: code-server's own install script fetches
# ripgrep from GitHub, so its steps are done here by hand with Debian's rg.
# Needs Debian's build-essential pkg-config python3 libkrb5-dev libx11-dev
# libxkbfile-dev libsecret-1-dev ripgrep chromium.
set -euo pipefail
dir=${1:?usage: install-code-server.sh DIR}
mkdir -p "$dir"
cd "$dir"
if [[ ! -x node_modules/.bin/code-server ]]; then
  npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3 playwright-core@1
  npm rebuild argon2
  (
    cd node_modules/code-server/lib/vscode
    npm install --no-audit --no-fund --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    (cd extensions && npm install --no-audit --no-fund --omit=dev)
  )
fi
echo "code-server and playwright-core are in $dir/node_modules"
