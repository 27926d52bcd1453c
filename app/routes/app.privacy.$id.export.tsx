import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { dataRequestExport } from "../models/data-request.server";
import { exportFileName } from "../services/privacy/export-email";

/** The JSON export of one data request, as a download; only the shop's own requests. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const found = params.id ? await dataRequestExport(session.shop, params.id) : null;
  if (!found || !found.export) {
    return new Response("No export for this request", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(found.export, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(found.id, found.requestedAt)}"`,
      "Cache-Control": "no-store",
    },
  });
};
