#!/usr/bin/env bash
# Browser end-to-end tests: installs playwright-core from package-lock.json (npm ci) when needed,
# then runs tests/web/e2e.mjs against `hipcoach serve`. Exits 77 (skipped) only when node or
# Debian's chromium is absent. Screenshots and PDFs go to ARTEFACT_DIR.
# Usage: run_e2e.sh HIPCOACH_BINARY SOURCE_DIR ARTEFACT_DIR
set -euo pipefail
binary=$1
source_dir=$2
artefacts=$3
chromium=${HIPCOACH_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (apt-get install nodejs npm)"
  exit 77
fi
if [ ! -x "$chromium" ]; then
  echo "SKIP: $chromium is not installed (apt-get install chromium)"
  exit 77
fi
cd "$source_dir"
if [ ! -f node_modules/playwright-core/package.json ] ||
   ! grep -q "\"version\": \"$(node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version")\"" \
     node_modules/playwright-core/package.json; then
  npm ci --ignore-scripts --no-audit --no-fund >/dev/null
fi
mkdir -p "$artefacts"
exec node tests/web/e2e.mjs "$binary" "$artefacts"
