#!/usr/bin/env bash
# Sets up a fresh machine: the system libraries the chart renderer (canvas)
# builds against, the npm packages from the lockfile, and the compiled server.
# Safe to run again; it skips what is already there, and it never changes a
# tracked file (so `git pull` keeps working).
set -euo pipefail
cd "$(dirname "$0")/.."

need_node_major=20
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$need_node_major" ]; then
  echo "trading-bot needs Node.js >= $need_node_major (found $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

# canvas (under chartjs-node-canvas) compiles against these when no prebuilt binary can be fetched.
apt_packages=(build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

did_something=no
[ ${#missing[@]} -gt 0 ] && did_something=yes

# Reinstall only when the lockfile changed since the last install.
stamp=node_modules/.package-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (native modules compile; this takes a few minutes the first time)"
  # `npm install` installs the locked versions like `npm ci`, but npm 11.16+ `ci` rejects a
  # lockfile whose optional platform packages (other OSes' binaries) the registry can't serve.
  # --no-save: install exactly what the lockfile says and never rewrite it (npm would add
  # those platform entries back, leaving the checkout dirty and `git pull` refusing to run).
  # --include=dev: the build needs TypeScript even when NODE_ENV=production (the service's env file says so).
  npm install --no-save --no-audit --no-fund --include=dev --loglevel=error
  echo "$want" > "$stamp"
  did_something=yes
fi

# Recompile only when a build input changed since the last build.
build_stamp=dist/.build-inputs.sha
build_inputs=$( { find src analytics bench tests -type f \( -name '*.ts' -o -name '*.js' -o -name '*.json' \) -print0 | sort -z | xargs -0 sha256sum; sha256sum package.json package-lock.json tsconfig.json tsconfig.build.json; } | sha256sum | cut -d' ' -f1)
if [ ! -f dist/src/main.js ] || [ ! -f "$build_stamp" ] || [ "$(cat "$build_stamp")" != "$build_inputs" ]; then
  echo "setup: compiling"
  npm run --silent build
  echo "$build_inputs" > "$build_stamp"
  did_something=yes
fi

if [ "$did_something" = no ]; then
  echo "setup: nothing to do: system packages, npm packages and the build are up to date"
else
  echo "setup: done"
fi
