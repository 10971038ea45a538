#!/usr/bin/env bash
# Installs axe-core, the accessibility checker that tests/accessibility.rs
# runs in headless Chromium, from the npm registry into a git-ignored
# directory: $PLANC_AXE_DIR, by default target/axe. The test finds it there
# (or at $PLANC_AXE_DIR/node_modules/axe-core/axe.min.js).
#
#   bash scripts/install-axe.sh
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.14.1
dir=${PLANC_AXE_DIR:-target/axe}
axe="$dir/node_modules/axe-core/axe.min.js"
if [ -f "$axe" ] && grep -q "axe v$version" "$axe"; then
  echo "axe-core $version already in $dir"
  exit 0
fi
if ! command -v npm >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "axe-core@$version"
test -f "$axe"
echo "axe-core $version in $dir"
