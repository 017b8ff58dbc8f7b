/**
 * Keeping secret input values (environment values, uploaded file contents, swarm secret data) out of every message
 * that leaves a provider: errors, initialization-failure reasons and stack traces.
 *
 * The providers cannot tell which inputs were Pulumi secrets (the dynamic provider host receives plain values), so
 * every value of those inputs counts as secret. Values shorter than MIN_SECRET_LENGTH characters are not masked:
 * masking "1" or "on" everywhere would garble messages (exit codes, ports) and hides nothing worth hiding.
 */

const SECRET_MASK = "[secret]";
const MIN_SECRET_LENGTH = 4;

/** Extra fields the Node dynamic provider host reads from a thrown error to report "created, but not ready". */
export interface InitFailureFields {
  id?: string;
  properties?: Record<string, unknown>;
  reasons?: string[];
}

/**
 * Replaces every occurrence of every secret value in `text` with "[secret]", raw and JSON-escaped (the engine echoes
 * values inside JSON), longest first so that a secret containing another is masked whole. Multi-line values (file
 * contents) are also masked line by line.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  const add = (value: string) => {
    if (value.trim().length < MIN_SECRET_LENGTH) return;
    forms.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) forms.add(escaped);
  };
  for (const secret of secrets) {
    if (typeof secret !== "string") continue;
    add(secret);
    if (secret.includes("\n")) for (const line of secret.split(/\r?\n/)) add(line);
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(SECRET_MASK);
  return out;
}

/** The message of anything thrown (duck-typed: errors from another realm are not `instanceof Error`). */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return String(error);
}

/**
 * A fresh Error whose message is `prefix` + the original message with every secret masked, keeping the
 * initialization-failure fields (with masked reasons). Fresh, so that the stack, which repeats the message and is
 * printed by the provider host, carries no secret either.
 */
export function maskedError(error: unknown, prefix: string, secrets: readonly string[]): Error & InitFailureFields {
  const out: Error & InitFailureFields = new Error(redact(prefix + errorMessage(error), secrets));
  const source = (error && typeof error === "object" ? error : {}) as InitFailureFields;
  if (typeof source.id === "string") out.id = source.id;
  if (source.properties) out.properties = source.properties;
  if (Array.isArray(source.reasons)) out.reasons = source.reasons.map((r) => redact(prefix + String(r), secrets));
  return out;
}

/** An error that tells the engine the resource exists (id) but did not become ready; recorded with `properties`. */
export function initFailure(message: string, id: string, properties: Record<string, unknown>): Error & InitFailureFields {
  const error: Error & InitFailureFields = new Error(message);
  error.id = id;
  error.properties = properties;
  error.reasons = [message];
  return error;
}

/** The values of "KEY=VALUE" strings (what is secret in an env list). */
export function envValues(envs: unknown): string[] {
  if (!Array.isArray(envs)) return [];
  return envs.filter((e): e is string => typeof e === "string").map((e) => e.slice(e.indexOf("=") + 1));
}

/** The string values of a map (what is secret in an env map). */
export function mapValues(map: unknown): string[] {
  if (!map || typeof map !== "object" || Array.isArray(map)) return [];
  return Object.values(map as Record<string, unknown>).filter((v): v is string => typeof v === "string");
}

/** Base64 data and its decoded text, both secret. */
export function base64Secrets(data: unknown): string[] {
  if (typeof data !== "string" || data.length === 0) return [];
  return [data, Buffer.from(data, "base64").toString("utf8")];
}

export { SECRET_MASK, MIN_SECRET_LENGTH };
