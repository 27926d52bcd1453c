import { escapeHtml } from "../email/render";

/**
 * FAQ answers are written in a small Markdown subset and turned into HTML here. Every
 * character the merchant typed is escaped first, and only the tags below are ever produced,
 * so the HTML is safe to put on the storefront as it is:
 *   blank line → paragraph, line break → <br>, "- item" / "1. item" → lists,
 *   **bold**, *italic*, [text](https://… | mailto:… | tel:… | /path) → links.
 */


const SAFE_HREF = /^(https?:\/\/[^\s]+|mailto:[^\s]+|tel:[+\d\s().-]+|\/(?!\/)[^\s]*)$/i;

function inline(raw: string): string {
  // Links first, on the raw text, so their URLs are escaped once as attributes.
  const parts: string[] = [];
  let last = 0;
  for (const match of raw.matchAll(/\[([^\]\n]{1,300})\]\(([^)\s]{1,2000})\)/g)) {
    parts.push(emphasis(escapeHtml(raw.slice(last, match.index))));
    const [, text, href] = match;
    if (SAFE_HREF.test(href)) {
      const external = /^https?:/i.test(href);
      parts.push(`<a href="${escapeHtml(href)}"${external ? ' rel="noopener nofollow" target="_blank"' : ""}>${emphasis(escapeHtml(text))}</a>`);
    } else {
      parts.push(emphasis(escapeHtml(text)));
    }
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(emphasis(escapeHtml(raw.slice(last))));
  return parts.join("");
}

function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)([^*]+?)(?<=\S)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, "$1<em>$2</em>");
}

type Block = { kind: "p"; lines: string[] } | { kind: "ul" | "ol"; items: string[] };

export function renderAnswer(markdown: string): string {
  const blocks: Block[] = [];
  let current = null as Block | null;
  for (const rawLine of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const line = rawLine.trimEnd();
    const bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d{1,3}[.)]\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      current = null;
    } else if (bullet || numbered) {
      const kind = bullet ? "ul" : "ol";
      const text = (bullet ?? numbered)![1];
      if (current?.kind !== kind) {
        current = { kind, items: [] };
        blocks.push(current);
      }
      current.items.push(text);
    } else if (current?.kind === "p") {
      current.lines.push(line.trim());
    } else if (current && /^\s{2,}\S/.test(rawLine)) {
      // An indented line continues the list item above it.
      current.items[current.items.length - 1] += ` ${line.trim()}`;
    } else {
      current = { kind: "p", lines: [line.trim()] };
      blocks.push(current);
    }
  }
  return blocks
    .map((block) =>
      block.kind === "p"
        ? `<p>${block.lines.map(inline).join("<br>")}</p>`
        : `<${block.kind}>${block.items.map((item) => `<li>${inline(item)}</li>`).join("")}</${block.kind}>`,
    )
    .join("");
}

/** The answer as plain text: for search, snippets and search engines' structured data. */
export function answerText(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, "\n")
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, "$1$2")
    .replace(/^\s*([-*•]|\d{1,3}[.)])\s+/gm, "")
    .replace(/\s+/g, " ")
    .trim();
}
