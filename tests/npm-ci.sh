#!/usr/bin/env bash
# Installs the npm packages of package-lock.json into SOURCE_DIR/node_modules (npm ci) when any is
# missing or at another version than the lock file pins. Tests that need node packages call it
# first; an flock makes tests running in parallel (ctest -j) wait for one install instead of
# racing (npm ci deletes node_modules before it installs).
# Usage: npm-ci.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
cd "$source_dir"

# Exit 0 when every package the lock file lists is installed at its version.
up_to_date() {
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
    for (const [path, entry] of Object.entries(lock.packages ?? {})) {
      if (!path.startsWith("node_modules/") || entry.optional) continue;
      let installed;
      try {
        installed = JSON.parse(readFileSync(path + "/package.json", "utf8")).version;
      } catch {
        process.exit(1);
      }
      if (installed !== entry.version) process.exit(1);
    }'
}

# The check runs under the lock too: while another test's npm ci is writing node_modules, a
# package.json may already be there before the rest of its package.
lock_file="${TMPDIR:-/tmp}/hipcoach-npm-ci-$(printf '%s' "$PWD" | cksum | cut -d' ' -f1).lock"
exec 9>"$lock_file"
flock 9
up_to_date && exit 0
echo "npm ci in $PWD (node_modules is missing or out of date)" >&2
npm ci --ignore-scripts --no-audit --no-fund >/dev/null
