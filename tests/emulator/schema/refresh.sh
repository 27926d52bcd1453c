#!/bin/sh
# Refreshes Shopify's published Admin API schemas (introspection JSON, gzipped) from the npm
# package @shopify/dev-mcp (ISC), without making that package a dependency. One version setting
# decides all three files:
#   admin_<version>.json.gz           the app's version: the emulator runs on it, the documents test checks it
#   compat/admin_<previous>.json.gz   the published version before it (from the package's version list)
#   compat/admin_unstable.json.gz     what is coming
# and versions.json records which versions and which package they came from.
# Usage: npm run schema:refresh [-- <api-version>]   (default: ADMIN_API_VERSION in app/shopify/api-version.ts)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(sed -n 's/^export const ADMIN_API_VERSION = "\(.*\)" as const;$/\1/p' "$here/../../../app/shopify/api-version.ts")}"
if [ -z "$version" ]; then
  echo "No ADMIN_API_VERSION found in app/shopify/api-version.ts" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack @shopify/dev-mcp --silent >/dev/null && tar xzf shopify-dev-mcp-*.tgz)
data="$work/package/dist/data"
package="$(cd "$work/package" && node -p 'require("./package.json").name + "@" + require("./package.json").version')"

# The package lists the Admin versions it carries, newest first (unstable, then dated ones).
previous="$(node -e '
  const list = require(process.argv[1]).admin.map((v) => v.name).filter((name) => name !== "unstable").sort().reverse();
  const at = list.indexOf(process.argv[2]);
  if (at < 0) { console.error(`${process.argv[2]} is not among the Admin versions of the package: ${list.join(", ")}`); process.exit(1); }
  if (at + 1 >= list.length) { console.error(`the package carries no Admin version before ${process.argv[2]}`); process.exit(1); }
  console.log(list[at + 1]);
' "$data/supported-versions-schema.json" "$version")"

for name in "$version" "$previous" unstable; do
  if [ ! -f "$data/admin_${name}.json.gz" ]; then
    echo "No admin_${name}.json.gz in $package; it has:" >&2
    ls "$data" | grep '^admin_' >&2
    exit 1
  fi
done

# Only the three files named above stay (an upgrade leaves no stale schema behind).
mkdir -p "$here/compat"
rm -f "$here"/admin_*.json.gz "$here"/compat/admin_*.json.gz
cp "$data/admin_${version}.json.gz" "$here/admin_${version}.json.gz"
cp "$data/admin_${previous}.json.gz" "$here/compat/admin_${previous}.json.gz"
cp "$data/admin_unstable.json.gz" "$here/compat/admin_unstable.json.gz"
printf '{\n  "current": "%s",\n  "previous": "%s",\n  "unstable": "unstable",\n  "source": "%s"\n}\n' \
  "$version" "$previous" "$package" >"$here/versions.json"
echo "Updated tests/emulator/schema/ from $package: admin_${version} (current), admin_${previous} (previous), admin_unstable"
