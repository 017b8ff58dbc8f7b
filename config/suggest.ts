import { z } from "zod";

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let json = jsonSchemas.get(schema);
  if (json === undefined) jsonSchemas.set(schema, (json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema));
  return json;
}

/** The keys the schema allows in the object at `path` of the stack config (a number steps into a list's items). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: JsonSchema | undefined = jsonSchemaOf(schema);
  for (const part of path) {
    if (node === undefined) return [];
    const options: JsonSchema[] = [node, ...(node.anyOf ?? [])];
    node = typeof part === "number" ? options.find((o) => o.items)?.items : options.find((o) => o.properties)?.properties?.[String(part)];
  }
  return Object.keys(node?.properties ?? node?.anyOf?.find((o) => o.properties)?.properties ?? {});
}

/** Edits (insert, delete, replace, swap of neighbours) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate a misspelt key most likely meant: the closest within a third of its length (at least 2 edits), or none. */
export function closestKey(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const scored = candidates
    .map((c) => ({ c, d: c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase()) }))
    .sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best !== undefined && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.c : undefined;
}
