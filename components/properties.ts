/** Renders a Java properties file, skipping unset keys; values here never need escaping. */
export function renderProperties(entries: Record<string, string | number | boolean | undefined>): string {
  return (
    Object.entries(entries)
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n") + "\n"
  );
}
