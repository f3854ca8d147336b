#!/usr/bin/env bash
# The packed tarball in an empty project: ESM import, CJS require, types under node16 / bundler / node10 (no
# esModuleInterop), the mocks without msw, the CLI. Run after `npm run build`. Needs only the npm registry (or its cache).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
version=$(node -p "require('./package.json').version")
# --ignore-scripts: pack what `npm run build` just produced instead of building again.
tarball=$(npm pack --silent --ignore-scripts --pack-destination "$work" | tail -n 1)
listing=$(tar -tzf "$work/$tarball")
for f in package/LICENSE package/README.md package/mocks/README.md package/bench/README.md package/examples/check.json package/dist/cli/main.js; do
  grep -qx "$f" <<<"$listing" || { echo "package-check: $f missing from the tarball"; exit 1; }
done
# publint and "are the types wrong" on the very tarball: every entry point green under node10, node16 (CJS and ESM), bundler.
"$root/node_modules/.bin/publint" --strict "$work/$tarball"
"$root/node_modules/.bin/attw" --format table-flipped "$work/$tarball"

app="$work/app"
mkdir "$app"
cp .ci/package/* "$app/"
cd "$app"
echo '{ "name": "empty-app", "version": "1.0.0", "private": true }' >package.json
npm install --prefer-offline --no-audit --no-fund --ignore-scripts --loglevel=error "$work/$tarball" >/dev/null
[ ! -e node_modules/msw ] || { echo "package-check: msw got installed; the check needs a project without it"; exit 1; }

EXPECTED_VERSION="$version" node esm.mjs
node cjs.cjs

tsc="$root/node_modules/typescript/bin/tsc"
types="$root/node_modules/@types"
common="--strict --noEmit --target ES2022 --types node --typeRoots $types"
# The main entry with skipLibCheck off: our declarations must compile everywhere, esModuleInterop or not. Errors
# inside other packages' declarations (zod's locales without esModuleInterop) are theirs and not counted.
strict() {
  local out
  out=$(node "$tsc" $common --skipLibCheck false "$@" 2>&1 || true)
  if grep -v '^node_modules/\(zod\|@types\|undici-types\)/' <<<"$out" | grep -q 'error TS'; then echo "$out" | grep -v '^node_modules/zod/'; return 1; fi
}
strict --module node16 --moduleResolution node16 consumer.mts consumer.cts
strict --module esnext --moduleResolution bundler consumer.mts
strict --module commonjs --moduleResolution node --esModuleInterop false consumer.ts
# The mocks subpath: its msw handler types need msw's types, so without msw only skipLibCheck (tsc --init's default) passes.
node "$tsc" $common --skipLibCheck true --module node16 --moduleResolution node16 consumer-mocks.ts
node "$tsc" $common --skipLibCheck true --module esnext --moduleResolution bundler consumer-mocks.ts
node "$tsc" $common --skipLibCheck true --module commonjs --moduleResolution node --esModuleInterop false consumer-mocks.ts
echo "package types ok (node16 ESM + CJS, bundler, node10 without esModuleInterop)"

[ "$(npx --no-install ams-cashier --version)" = "$version" ] || { echo "package-check: ams-cashier --version is not $version"; exit 1; }
npx --no-install ams-cashier keys generate --out keys >/dev/null
npx --no-install ams-cashier keys inspect keys/app_private_key.pem >/dev/null
echo "package cli ok"
echo "package-check: $tarball ok"
