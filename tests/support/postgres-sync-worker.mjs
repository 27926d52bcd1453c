// The worker behind tests/support/database.ts's synchronous PostgreSQL calls (synckit blocks the test's
// thread until this answers). Rows come back as SQLite's driver gives them, so a test reads one shape
// on either engine: booleans 0/1, 64-bit and numeric columns as numbers, DateTime as Prisma's SQLite
// text ("2026-12-02T10:11:12.096+00:00"), JSON as its text.
import pg from "pg";
import { runAsWorker } from "synckit";

const types = {
  getTypeParser(oid, format) {
    if (format === "binary") return pg.types.getTypeParser(oid, format);
    switch (oid) {
      case 16: // bool
        return (v) => (v === "t" ? 1 : 0);
      case 20: // int8
      case 1700: // numeric
        return (v) => Number(v);
      case 1114: // timestamp (Prisma's DateTime: UTC, without zone)
        return (v) => new Date(`${v.replace(" ", "T")}Z`).toISOString().replace("Z", "+00:00");
      case 1184: // timestamptz
        return (v) => new Date(v).toISOString().replace("Z", "+00:00");
      case 114: // json
      case 3802: // jsonb
        return (v) => v;
      default:
        return pg.types.getTypeParser(oid, format);
    }
  },
};

const pools = new Map();

function pool(url) {
  let found = pools.get(url);
  if (!found) {
    found = new pg.Pool({ connectionString: url, max: 2, types });
    found.on("error", () => undefined); // a dropped test database ends its connections
    pools.set(url, found);
  }
  return found;
}

runAsWorker(async (op, url, sql, params) => {
  if (op === "end") {
    const found = pools.get(url);
    pools.delete(url);
    await found?.end().catch(() => undefined);
    return [];
  }
  const result = await pool(url).query(sql, params);
  return result.rows;
});
