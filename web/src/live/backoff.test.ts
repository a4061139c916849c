import { describe, expect, it } from 'vitest';

import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled by the jitter', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, () => 1)).toBe(15_000);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(2000);
  });
});
