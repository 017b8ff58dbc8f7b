/**
 * Classifies database errors for the writer. Data errors (a value the server will not store) are a property of
 * the rows and retrying cannot help, so the writer isolates the bad rows instead; everything else (connection
 * loss, server restart, deadlock, lock wait) is retried, because the same batch will succeed once it passes.
 */
interface SqlErrorLike {
  errno?: number;
  sqlState?: string | null;
  code?: string | null;
}

// SQLSTATE class 22 = data exception (out of range, bad value, too long); class 23 = integrity constraint.
const DATA_STATE_CLASSES = ["22", "23"];
// Server errors that are data errors whatever SQLSTATE they carry (MariaDB reports several as HY000).
const DATA_ERRNOS = new Set([1048, 1264, 1265, 1292, 1366, 1406]);

export function isDataError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & SqlErrorLike;
  if (typeof e.errno === "number" && DATA_ERRNOS.has(e.errno)) return true;
  return typeof e.sqlState === "string" && DATA_STATE_CLASSES.includes(e.sqlState.slice(0, 2));
}

/** The pool was closed by us: retrying is pointless and the caller is shutting down. */
export function isPoolClosed(err: unknown): boolean {
  const code = (err as SqlErrorLike | undefined)?.code;
  return code === "ER_POOL_ALREADY_CLOSED" || code === "ER_CLOSING_POOL" || code === "ER_ADD_CONNECTION_CLOSED_POOL";
}
