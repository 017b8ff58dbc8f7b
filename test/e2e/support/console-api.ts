/** Requests to one port of a deployed console; each must answer 200 (the path is named when one does not). */
export const consoleClient =
  (host: string, port: number) =>
  async (pathAndQuery: string): Promise<Response> => {
    const response = await fetch(`http://${host}:${port}${pathAndQuery}`);
    expect({ pathAndQuery, status: response.status }).toEqual({ pathAndQuery, status: 200 });
    return response;
  };

/** What the e2e tests read of `GET /api/overview` (console/README.md, JSON API). */
export interface ConsoleOverview {
  pipeline: { topic: string; mariadb_rows: number; topic_records: number; sink_lines: number | null };
  unreachable: unknown[];
  spark: { ok: boolean };
  table6: { rows: { size_mb: number; mode: string; job_s: number }[] };
}

/** What the e2e tests read of `GET /api/connectors`. */
export interface ConsoleConnectors {
  connect: { data: { name: string; state: string; tasks: { state: string }[] }[] };
}
