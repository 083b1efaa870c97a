#!/usr/bin/env bash
# Builds a release of Bibarys into OUT (default ./release): dist/, package.json, package-lock.json
# and the production dependencies only (`npm ci --omit=dev`) - no src/, no dev dependencies.
# Start it with `node dist/main.js` or `npm run start:prod` inside OUT.
# The Dockerfile runs this script, and so does the release test (test/ops/release.e2e-spec.ts).
# Extra flags for the production install may be passed in RELEASE_NPM_FLAGS (e.g. --prefer-offline).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/release}" && cd "${1:-$ROOT/release}" && pwd)"
if [ "$OUT" = "$ROOT" ]; then
  echo "release.sh: the release folder must not be the checkout itself" >&2
  exit 2
fi

cd "$ROOT"
npm run build

rm -rf "$OUT/dist" "$OUT/node_modules"
cp -R dist "$OUT/dist"
rm -f "$OUT"/dist/*.tsbuildinfo
cp package.json package-lock.json "$OUT/"

cd "$OUT"
# --omit=optional as well: the only optional packages of the production tree are typescript (an
# optional peer of @nestjs/swagger, for its build plugin) and pg-cloudflare (Cloudflare Workers)
# shellcheck disable=SC2086
npm ci --omit=dev --omit=optional --no-audit --no-fund ${RELEASE_NPM_FLAGS:-}
# sharp's native parts are optional dependencies, one package per platform, so --omit=optional
# leaves them out: copy the ones npm installed in the checkout for this machine (the release runs
# where it was built, as better-sqlite3's compiled module already requires), then check it loads
for native in "$ROOT"/node_modules/@img/sharp-*; do
  if [ -d "$native" ]; then cp -R "$native" "$OUT/node_modules/@img/"; fi
done
node -e "require('sharp')" || {
  echo "release.sh: sharp does not load in the release (no @img/sharp-* for this platform)" >&2
  exit 1
}
echo "release.sh: release in $OUT (start: cd $OUT && npm run start:prod)"
