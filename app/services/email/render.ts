/**
 * Plain text as the HTML part of an email: escaped, paragraphs and line breaks kept, web
 * addresses linked. Staff and shoppers write text; nothing they write becomes markup.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

function linkify(escapedLine: string): string {
  // Work on the escaped text: an address cannot smuggle markup, and &amp; stays valid in href.
  return escapedLine.replace(URL_PATTERN, (url) => `<a href="${url}">${url}</a>`);
}

export function textToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  const body = paragraphs.map((p) => `<p>${p.split("\n").map((line) => linkify(escapeHtml(line))).join("<br>\n")}</p>`).join("\n");
  return `<!doctype html>\n<html><body style="font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;font-size:15px;line-height:1.5;color:#202223">\n${body}\n</body></html>`;
}

/** The text of an email with the signature, separated the way mail clients recognise. */
export function withSignature(text: string, signature: string): string {
  const sig = signature.trim();
  return sig ? `${text.trimEnd()}\n\n-- \n${sig}` : text.trimEnd();
}

/** "Name <address>" with the name quoted when it needs to be, for From and Reply-To. */
export function formatAddress(name: string | null | undefined, address: string): string {
  const clean = (name ?? "").replace(/[\r\n"\\]/g, "").trim();
  return clean ? `"${clean}" <${address}>` : address;
}

/** The ticket's own reply address: plus addressing on the support mailbox ("support+t.TOKEN@shop.com"). */
export function replyAddressFor(fromEmail: string, token: string): string {
  const at = fromEmail.lastIndexOf("@");
  const local = fromEmail.slice(0, at).split("+")[0];
  return `${local}+t.${token}@${fromEmail.slice(at + 1)}`;
}
