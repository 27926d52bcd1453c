#!/bin/sh
# Refreshes Shopify's published Admin API schema (introspection JSON) from the npm
# package @shopify/dev-mcp (ISC), without making that package a dependency.
# Usage: npm run schema:refresh [-- <api-version>]   (default: the app's version)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(sed -n 's/^export const ADMIN_API_VERSION = "\(.*\)" as const;$/\1/p' "$here/../../../app/shopify/api-version.ts")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack @shopify/dev-mcp --silent >/dev/null && tar xzf shopify-dev-mcp-*.tgz)
src="$work/package/dist/data/admin_${version}.json.gz"
if [ ! -f "$src" ]; then
  echo "No admin_${version}.json.gz in @shopify/dev-mcp; it has:" >&2
  ls "$work/package/dist/data" | grep '^admin_' >&2
  exit 1
fi
cp "$src" "$here/admin_${version}.json.gz"
echo "Updated tests/emulator/schema/admin_${version}.json.gz from $(cd "$work/package" && node -p 'require("./package.json").name + "@" + require("./package.json").version')"
