#!/usr/bin/env bash
# End-to-end test of the extension in a real VS Code: code-server 4.100.3
# with clausier.vsix installed, driven by playwright-core in Debian's
# chromium. Opens a tender, waits for the squiggle and the Problems entry,
# hovers it, applies the quick fix and checks the file changed; saves
# screenshots to vscode-extension/e2e/screenshots/.
# Usage: vscode-extension/e2e/run.sh   (as root on a fresh Debian machine it
# installs the Debian packages it needs; then about two minutes for
# code-server, and two more for the test)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ext=$(dirname "$here")
root=$(dirname "$ext")
tools=${CLAUSIER_E2E_TOOLS:-$HOME/.cache/clausier-e2e}
# Debian packages code-server's native modules and the browser need.
packages=(build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium curl)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bash "$here/install-code-server.sh" "$tools" >/dev/null

(cd "$root" && cargo build --release --quiet)
(cd "$ext" && npm ci --no-audit --no-fund --silent --ignore-scripts && npm run --silent package >/dev/null)

work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/user/User" "$work/extensions" "$work/workspace"
cat > "$work/workspace/rc.md" <<'MD'
# Règlement de la consultation

## Article 4 – Présentation des offres

Les offres sont remises au format Word.
MD
cat > "$work/user/User/settings.json" <<JSON
{
  "clausier.path": "$root/target/release/clausier",
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off"
}
JSON
cs="$tools/node_modules/.bin/code-server"
"$cs" --user-data-dir "$work/user" --extensions-dir "$work/extensions" --install-extension "$ext/clausier.vsix" >/dev/null
port=$((20000 + RANDOM % 20000))
cat > "$work/config.yaml" <<YAML
bind-addr: 127.0.0.1:$port
auth: none
cert: false
YAML
"$cs" --config "$work/config.yaml" --user-data-dir "$work/user" --extensions-dir "$work/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$work/workspace" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 1
done
mkdir -p "$here/screenshots"
NODE_PATH="$tools/node_modules" node "$here/test.js" "$port" "$work/workspace" "$here/screenshots"
