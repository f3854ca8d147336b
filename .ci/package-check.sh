#!/usr/bin/env bash
# The packed tarball in an empty project: ESM import, CJS require, types under node16 / bundler / node10 (no
# esModuleInterop) with the strictest settings, the mocks without msw, the examples, the CLI. Run after `npm run build`.
# Needs only the npm registry (or its cache).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
version=$(node -p "require('./package.json').version")
# --ignore-scripts: pack what `npm run build` just produced instead of building again (prepack).
tarball=$(npm pack --silent --ignore-scripts --pack-destination "$work" | tail -n 1)
listing=$(tar -tzf "$work/$tarball")
for f in package/LICENSE package/README.md package/mocks/README.md package/bench/README.md package/dist/cli/main.js \
  package/dist/mocks/index.d.ts package/dist/mocks/msw.d.ts package/examples/check.json package/examples/pay.ts \
  package/examples/express-merchant/app.ts package/docs/cli-output.schema.json; do
  grep -qx "$f" <<<"$listing" || { echo "package-check: $f missing from the tarball"; exit 1; }
done
# Nothing runs on a consumer's install: no install-time lifecycle script in the packed manifest.
tar -xzf "$work/$tarball" -C "$work" package/package.json
node -e '
  const s = require(process.argv[1]).scripts ?? {};
  const found = ["preinstall", "install", "postinstall", "prepare"].filter((n) => n in s);
  if (found.length) { console.error(`package-check: the package runs ${found.join(", ")} on install`); process.exit(1); }
' "$work/package/package.json"
# publint and "are the types wrong" on the very tarball: every entry point green under node10, node16 (CJS and ESM), bundler.
"$root/node_modules/.bin/publint" --strict "$work/$tarball"
"$root/node_modules/.bin/attw" --format table-flipped "$work/$tarball"

app="$work/app"
mkdir "$app"
cp .ci/package/* "$app/"
cd "$app"
echo '{ "name": "empty-app", "version": "1.0.0", "private": true }' >package.json
install_log="$work/install.log"
npm install --prefer-offline --no-audit --no-fund --loglevel=warn "$work/$tarball" >"$install_log" 2>&1 || { cat "$install_log"; exit 1; }
if grep -q 'install-scripts.*ams-cashier' "$install_log"; then
  cat "$install_log"
  echo "package-check: installing the tarball warns about one of its scripts"
  exit 1
fi
[ ! -e node_modules/msw ] || { echo "package-check: msw got installed; the check needs a project without it"; exit 1; }

EXPECTED_VERSION="$version" node esm.mjs
node cjs.cjs

tsc="$root/node_modules/typescript/bin/tsc"
types="$root/node_modules/@types"
# The strictest settings a user may have, with skipLibCheck off: our declarations must compile everywhere,
# esModuleInterop or not. Errors inside other packages' declarations (zod's locales without esModuleInterop) are theirs.
common="--strict --exactOptionalPropertyTypes --noUncheckedIndexedAccess --noEmit --target ES2022 --types node --typeRoots $types --skipLibCheck false"
strict() {
  local out
  out=$(node "$tsc" $common "$@" 2>&1 || true)
  if grep -v '^node_modules/\(zod\|@types\|undici-types\)/' <<<"$out" | grep -q 'error TS'; then echo "$out" | grep -v '^node_modules/zod/'; return 1; fi
}
strict --module nodenext --moduleResolution nodenext consumer.mts consumer.cts
strict --module esnext --moduleResolution bundler consumer.mts
strict --module commonjs --moduleResolution node --esModuleInterop false consumer.ts
# The mocks subpath and its types need no msw, under every resolution.
strict --module nodenext --moduleResolution nodenext consumer-mocks.ts
strict --module esnext --moduleResolution bundler consumer-mocks.ts
strict --module commonjs --moduleResolution node --esModuleInterop false consumer-mocks.ts
echo "package types ok (nodenext ESM + CJS, bundler, node10 without esModuleInterop; strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)"

[ "$(npx --no-install ams-cashier --version)" = "$version" ] || { echo "package-check: ams-cashier --version is not $version"; exit 1; }
npx --no-install ams-cashier keys generate --out keys >/dev/null
npx --no-install ams-cashier keys inspect keys/app_private_key.pem >/dev/null
echo "package cli ok"
# The examples as shipped: the go-live config checks the keys just generated, the smallest payment runs from
# node_modules against the packaged gateway (tsx from this checkout: the app has no TypeScript runner of its own).
npx --no-install ams-cashier check node_modules/ams-cashier/examples/check.json >/dev/null
paid=$("$root/node_modules/.bin/tsx" node_modules/ams-cashier/examples/pay.ts </dev/null)
grep -q '^U/PAYMENT_IN_PROCESS: send the buyer to http://127.0.0.1:' <<<"$paid" || { echo "$paid"; echo "package-check: examples/pay.ts did not pay"; exit 1; }
echo "package examples ok (check.json after keys generate, pay.ts from node_modules)"
echo "package-check: $tarball ok"
