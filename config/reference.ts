import { z } from "zod";
import { configNamespace } from "./issues";
import { secretKeys } from "./load";
import type { TargetConfigPart } from "./rules";
import { composeConfigSchema } from "./schema";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  additionalProperties?: JsonSchema | boolean;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  required?: string[];
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (s.anyOf) return s.anyOf.map(typeOf).join(" \\| ");
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "values"}`;
  if (s.type === "object") return s.properties ? "object" : "map of string";
  if (s.type === "integer" || s.type === "number") {
    const min = s.exclusiveMinimum !== undefined ? `>${s.exclusiveMinimum}` : s.minimum !== undefined ? `≥${s.minimum}` : "";
    const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? ` ≤${s.maximum}` : "";
    return `${s.type}${min || max ? ` (${min}${max})` : ""}`;
  }
  return s.format ? `${s.type} (${s.format})` : String(s.type ?? "any");
}

function defaultOf(s: JsonSchema): string {
  if (s.default === undefined) return "";
  if (typeof s.default === "object" && s.default !== null && Object.keys(s.default).length === 0) return "";
  return `\`${JSON.stringify(s.default)}\``;
}

function rows(s: JsonSchema, key: string, required: boolean): string[] {
  const own = `| \`${key}\` | ${typeOf(s)} | ${required && s.default === undefined ? "**required**" : defaultOf(s)} | ${s.description ?? ""} |`;
  if (s.type === "object" && s.properties) {
    const nested = Object.entries(s.properties).flatMap(([k, v]) => rows(v, `${key}.${k}`, (s.required ?? []).includes(k)));
    return s.description ? [own, ...nested] : nested;
  }
  if (s.type === "array" && s.items?.type === "object" && s.items.properties) {
    const item = s.items;
    return [own, ...Object.entries(item.properties!).flatMap(([k, v]) => rows(v, `${key}[].${k}`, (item.required ?? []).includes(k)))];
  }
  return [own];
}

/** The configuration reference in README.md, generated from the schema so the two cannot drift. */
export function renderConfigReference(targets: readonly TargetConfigPart[]): string {
  const schema = z.toJSONSchema(composeConfigSchema(targets), { io: "input", unrepresentable: "any" }) as JsonSchema;
  const body = Object.entries(schema.properties ?? {}).flatMap(([k, v]) =>
    rows(v, `${configNamespace}:${k}`, (schema.required ?? []).includes(k)),
  );
  const secrets = secretKeys.map(
    (k) =>
      `| \`${configNamespace}:${k}\` | secret string | generated | Set with \`pulumi config set --secret ${configNamespace}:${k} …\`; 12+ characters of letters, digits and \`_.,:@%+=-\`. |`,
  );
  return ["| key | type | default | description |", "|---|---|---|---|", ...body, ...secrets].join("\n");
}
