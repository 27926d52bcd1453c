import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { dashboard, dashboardCsv, periodFromSearch } from "../models/dashboard.server";
import { supportSettings } from "../models/support-settings.server";

/** GET /app/dashboard.csv?days=…|from=…&to=…: the dashboard's figures as a spreadsheet. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await supportSettings(session.shop);
  const { period } = periodFromSearch(new URL(request.url).searchParams, settings.timeZone);
  const csv = dashboardCsv(await dashboard(session.shop, period));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="support-desk-${period.from}-to-${period.to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
