import { useState } from "react";
import { Button } from "@shopify/polaris";

/**
 * Downloads a file from an authenticated app route. Inside the admin a plain link would
 * open without a session token, so the file is fetched (App Bridge adds the token) and
 * saved from memory.
 */
export function DownloadButton({ url, filename, children }: { url: string; filename: string; children: string }) {
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  async function download() {
    setState("loading");
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(String(response.status));
      const blob = await response.blob();
      const href = URL.createObjectURL(blob);
      const anchor = document.createElement("a");
      anchor.href = href;
      anchor.download = filename;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      URL.revokeObjectURL(href);
      setState("idle");
    } catch {
      setState("failed");
    }
  }
  return (
    <Button variant="plain" onClick={download} loading={state === "loading"} tone={state === "failed" ? "critical" : undefined}>
      {state === "failed" ? "Download failed — try again" : children}
    </Button>
  );
}
