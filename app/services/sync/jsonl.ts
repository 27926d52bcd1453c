import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/**
 * The objects of a JSONL body, one at a time, as they arrive: a bulk export of 100 000
 * orders is never held in memory whole. A line that is not JSON stops the read with its
 * line number (a truncated download must not pass for a complete one).
 */
export async function* readJsonLines(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): AsyncGenerator<Record<string, unknown>> {
  const input = "getReader" in body ? Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>) : (body as NodeJS.ReadableStream);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${number} of the bulk export is not JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`line ${number} of the bulk export is not an object`);
    yield value as Record<string, unknown>;
  }
}

/** The kind of record a gid names: "gid://shopify/LineItem/1" → "LineItem". */
export function gidType(id: unknown): string | null {
  if (typeof id !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id);
  return match ? match[1] : null;
}
