#!/usr/bin/env bash
# Browser end-to-end tests: installs playwright-core from package-lock.json when needed
# (tests/npm-ci.sh), then runs tests/web/e2e.mjs against `hipcoach serve`. Exits 77 (skipped) only
# when node or Debian's chromium is absent. Screenshots and PDFs go to ARTEFACT_DIR.
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
bash tests/npm-ci.sh "$source_dir"
mkdir -p "$artefacts"
exec node tests/web/e2e.mjs "$binary" "$artefacts"
