/**
 * Exponential backoff with "full jitter" (a uniformly random delay up to the exponential cap): when many clients
 * fail at once, e.g. after a database restart, full jitter spreads their retries instead of having them return
 * in synchronized waves.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * cap);
}
