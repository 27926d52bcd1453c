interface StreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  releaseLock(): void;
}

/** The body's bytes, from a web stream of any realm (Remix's fetch polyfill has its own) or a Node stream. */
async function* chunksOf(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): AsyncGenerator<Uint8Array | string> {
  if ("getReader" in body) {
    const reader = (body as unknown as { getReader(): StreamReader }).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value) yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) yield chunk;
}

/**
 * The objects of a JSONL body, one at a time, as they arrive: a bulk export of 100 000
 * orders is never held in memory whole. A line that is not JSON stops the read with its
 * line number (a truncated download must not pass for a complete one).
 */
export async function* readJsonLines(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending = "";
  let number = 0;
  const parse = (line: string): Record<string, unknown> | null => {
    number++;
    if (line.trim() === "") return null;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${number} of the bulk export is not JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`line ${number} of the bulk export is not an object`);
    return value as Record<string, unknown>;
  };
  for await (const chunk of chunksOf(body)) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf("\n");
    let from = 0;
    while (newline !== -1) {
      const end = newline > from && pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline; // "\r\n"
      const value = parse(pending.slice(from, end));
      if (value) yield value;
      from = newline + 1;
      newline = pending.indexOf("\n", from);
    }
    pending = pending.slice(from);
  }
  pending += decoder.decode();
  const last = parse(pending.replace(/\r$/, ""));
  if (last) yield last;
}

/** The kind of record a gid names: "gid://shopify/LineItem/1" → "LineItem". */
export function gidType(id: unknown): string | null {
  if (typeof id !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id);
  return match ? match[1] : null;
}
