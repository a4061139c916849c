/** Exponential backoff with full jitter (AWS architecture blog): a random wait in [0, min(cap, base·2^n)]. */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 500, capMs = 15_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * random());
}
