/**
 * The one door for request bodies (storefront proxy routes and admin actions alike): a form post
 * (urlencoded or multipart) or a JSON object, read into a flat record of clean strings, or
 * refused with a status and a message. Refused: a body that is not a form or JSON, invalid JSON,
 * JSON that is not an object, an object or array where a string belongs (never stored as
 * "[object Object]"), a file upload, malformed Unicode (lone surrogates, which SQLite cannot
 * store as UTF-8), NUL and other control characters, and anything over the size limits.
 * JSON numbers and booleans become their text ("true", "42"); null becomes "".
 */

export interface InputLimits {
  /** The whole body, in bytes. */
  maxBytes?: number;
  /** Any one field's value, in characters. */
  maxFieldLength?: number;
  /** How many fields a body may have. */
  maxFields?: number;
}

export type InputResult =
  | { ok: true; fields: Record<string, string> }
  | { ok: false; status: 400 | 413 | 415 | 422; error: string; message: string; field?: string };

const DEFAULTS = { maxBytes: 256 * 1024, maxFieldLength: 20_000, maxFields: 200 } as const;

// Lone surrogates (not part of a pair), and control characters other than tab, newline, return.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function refuse(status: 400 | 413 | 415 | 422, error: string, message: string, field?: string): InputResult {
  return { ok: false, status, error, message, ...(field === undefined ? {} : { field }) };
}

/** Why a text is not acceptable as a field's value, or null when it is. */
export function badText(value: string, maxLength: number = DEFAULTS.maxFieldLength): { error: string; message: string } | null {
  if (value.length > maxLength) return { error: "too_long", message: `is longer than ${maxLength} characters` };
  if (LONE_SURROGATE.test(value)) return { error: "malformed_unicode", message: "contains malformed Unicode" };
  if (CONTROL.test(value)) return { error: "control_character", message: "contains a control character" };
  return null;
}

function checkFields(entries: [string, unknown][], limits: Required<InputLimits>): InputResult {
  if (entries.length > limits.maxFields) return refuse(413, "too_many_fields", `The request has more than ${limits.maxFields} fields.`);
  const fields: Record<string, string> = Object.create(null);
  for (const [key, raw] of entries) {
    const keyProblem = badText(key, 200);
    if (keyProblem) return refuse(422, "invalid_field_name", `A field name ${keyProblem.message}.`);
    let value: string;
    if (typeof raw === "string") value = raw;
    else if (raw === null || raw === undefined) value = "";
    else if (typeof raw === "number" || typeof raw === "boolean") value = String(raw);
    else return refuse(422, "not_text", `The field “${key}” must be text, not ${raw instanceof Blob ? "a file" : Array.isArray(raw) ? "a list" : "an object"}.`, key);
    const problem = badText(value, limits.maxFieldLength);
    if (problem) return refuse(422, problem.error, `The field “${key}” ${problem.message}.`, key);
    // A repeated form field keeps its first value (as FormData.get does).
    if (!(key in fields)) fields[key] = value;
  }
  return { ok: true, fields: { ...fields } };
}

/** Reads the request's body (a form or a JSON object) into checked strings. */
export async function readInput(request: Request, options: InputLimits = {}): Promise<InputResult> {
  const limits = { ...DEFAULTS, ...options };
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const isJson = /^application\/([\w.+-]*\+)?json\b/.test(type);
  const isForm = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
  // Read to the end even past the limit (a connection closed mid-upload fails the client
  // without an answer), keeping only what fits.
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (request.body) {
      for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size <= limits.maxBytes) chunks.push(chunk);
      }
    }
  } catch {
    return refuse(400, "unreadable_body", "The request body could not be read.");
  }
  if (size > limits.maxBytes) return refuse(413, "too_large", `The request is larger than ${limits.maxBytes} bytes.`);
  const bytes = Buffer.concat(chunks);
  if (!isJson && !isForm) return refuse(415, "unsupported_content_type", "Send a form or a JSON object.");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse(400, "malformed_utf8", "The request body is not valid UTF-8.");
  }
  if (isJson) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return refuse(400, "invalid_json", "The request body is not valid JSON.");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse(400, "invalid_body", "Send a JSON object.");
    return checkFields(Object.entries(value), limits);
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    let params: URLSearchParams;
    try {
      params = new URLSearchParams(text);
    } catch {
      return refuse(400, "invalid_form", "The form could not be read.");
    }
    // Percent-escapes of invalid UTF-8 decode to U+FFFD, which is valid text; lone surrogates cannot arise here.
    return checkFields([...params.entries()], limits);
  }
  let form: FormData;
  try {
    form = await new Request("http://input.invalid/", { method: "POST", headers: { "content-type": type }, body: new Uint8Array(bytes) }).formData();
  } catch {
    return refuse(400, "invalid_form", "The form could not be read.");
  }
  return checkFields([...form.entries()], limits);
}

/** The JSON an input refusal is answered with (routes wrap it in their response). */
export function refusalBody(result: Extract<InputResult, { ok: false }>) {
  return { ok: false as const, error: result.error, message: result.message, errors: { [result.field ?? "form"]: result.error } };
}

/** The largest row id (Prisma's Int is 32-bit: a bigger number is not "not found" but a database error). */
export const MAX_ROW_ID = 2_147_483_647;

/** A positive row id from a route parameter or field, or null. */
export function rowId(value: string | undefined | null): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 && id <= MAX_ROW_ID ? id : null;
}
