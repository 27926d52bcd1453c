#!/bin/sh
# Runs the Prisma CLI on machines that cannot download Prisma's native engines.
# The client is generated with engineType = "client" (a WASM query compiler plus a
# driver adapter) and migrations run through the adapter in prisma.config.ts, so no
# native engine is ever loaded; the CLI still insists on a query-engine path before
# `generate`, so point it at a placeholder file instead of letting it download one.
here="$(cd "$(dirname "$0")" && pwd)"
export PRISMA_QUERY_ENGINE_LIBRARY="${PRISMA_QUERY_ENGINE_LIBRARY:-$here/no-native-query-engine}"
export PRISMA_HIDE_UPDATE_MESSAGE=1
exec "$here/../node_modules/.bin/prisma" "$@"
