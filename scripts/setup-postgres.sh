#!/bin/sh
# Moves the app to PostgreSQL: DATABASE_URL=postgresql://… npm run setup:postgres
# Switches the Prisma schema's provider, creates the tables in the (empty) database
# from the schema, and regenerates the client. The adapter (pg) is picked from
# DATABASE_URL at run time (app/db-adapter.ts).
set -eu
cd "$(dirname "$0")/.."
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "Set DATABASE_URL to a postgresql:// URL of an empty database first." >&2; exit 1 ;;
esac
sed -i 's/provider = "sqlite"/provider = "postgresql"/' prisma/schema.prisma
sql="$(mktemp)"
trap 'rm -f "$sql"' EXIT
# `db push` and `migrate diff --from-schema-datasource` cannot run through a driver
# adapter in Prisma 6.19; the schema's full SQL for an empty database can.
sh scripts/prisma.sh migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma --script > "$sql"
sh scripts/prisma.sh db execute --file "$sql" --schema prisma/schema.prisma
# What Prisma's schema cannot say: trigram indexes for search, the trigger that wakes job runners.
for extra in prisma/postgresql-extras/*.sql; do
  sh scripts/prisma.sh db execute --file "$extra" --schema prisma/schema.prisma
done
sh scripts/prisma.sh generate
echo "PostgreSQL ready. Start the app with the same DATABASE_URL."
