import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "../../shopify.server";
import styles from "./styles.module.css";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app with ?shop=…; send it into the embedded admin.
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return json({ showForm: Boolean(login) });
};

export default function Landing() {
  const { showForm } = useLoaderData<typeof loader>();
  return (
    <main className={styles.page}>
      <h1 className={styles.heading}>Support Desk</h1>
      <p className={styles.text}>
        A customer-service desk inside your Shopify admin: every shopper question as a ticket with their orders
        beside it, a help button and FAQ on your storefront, and notices that reach shoppers before a late order
        makes them ask.
      </p>
      {showForm && (
        <Form className={styles.form} method="post" action="/auth/login">
          <label className={styles.label}>
            <span>Shop domain</span>
            <input className={styles.input} type="text" name="shop" placeholder="my-shop.myshopify.com" />
          </label>
          <button className={styles.button} type="submit">
            Log in
          </button>
        </Form>
      )}
    </main>
  );
}
