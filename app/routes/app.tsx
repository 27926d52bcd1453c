import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { authenticate } from "../shopify.server";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: polarisVizStyles },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return json({
    apiKey: process.env.SHOPIFY_API_KEY ?? "",
    // Set only where the admin is the local emulator, which serves its own App Bridge.
    appBridgeUrl: process.env.APP_BRIDGE_URL || undefined,
  });
};

export default function AppLayout() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/inbox">Inbox</Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/canned-replies">Canned replies</Link>
        <Link to="/app/faq">FAQ</Link>
        <Link to="/app/delay-notices">Delay notices</Link>
        <Link to="/app/outbox">Email</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/privacy">Privacy requests</Link>
        <Link to="/app/health">System health</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs these to handle auth redirects and headers inside the admin.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
