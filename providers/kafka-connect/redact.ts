import { StringMap } from "./types";

/** What a secret value is replaced with in any message. */
const SECRET_MASK = "[secret]";

/** The non-empty secret values of the given maps (missing maps are skipped). */
export function secretValues(...maps: (StringMap | undefined)[]): string[] {
  const values = new Set<string>();
  for (const map of maps) {
    if (!map || typeof map !== "object") continue;
    for (const value of Object.values(map)) {
      if (typeof value === "string" && value.length > 0) values.add(value);
    }
  }
  return [...values];
}

/**
 * Replaces every occurrence of every secret value in `text` with "[secret]", both raw and in its JSON-escaped form
 * (Connect echoes config values inside JSON error bodies and Java traces). Longest values first, so that a secret
 * that contains another one is masked whole.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    forms.add(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped) forms.add(escaped);
  }
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    out = out.split(form).join(SECRET_MASK);
  }
  return out;
}

/** Extra fields the Node dynamic provider host reads from a thrown error to report "created, but not ready". */
export interface InitFailureFields {
  id?: string;
  properties?: Record<string, unknown>;
  reasons?: string[];
}

/** The message of anything thrown (duck-typed: errors from another realm, e.g. fetch's, are not `instanceof Error`). */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return String(error);
}

/**
 * Turns anything thrown into an Error whose message (and reasons) have every secret masked. A fresh Error is built so
 * that the stack trace, which repeats the message and is printed by the provider host, is masked too.
 */
export function redactError(error: unknown, secrets: readonly string[]): Error & InitFailureFields {
  const source = error as (Error & InitFailureFields) | undefined;
  const message = errorMessage(error);
  const out: Error & InitFailureFields = new Error(redact(message, secrets));
  if (source && typeof source === "object") {
    if (typeof source.id === "string") out.id = source.id;
    if (source.properties) out.properties = source.properties;
    if (Array.isArray(source.reasons)) out.reasons = source.reasons.map((r) => redact(String(r), secrets));
  }
  return out;
}

// Exported by name (not `export const`) so that the functions above refer to the constant itself rather than to
// `exports.X`, which would make closure serialization capture this whole module object.
export { SECRET_MASK };
