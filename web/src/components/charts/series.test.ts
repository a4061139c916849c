import { describe, expect, it } from 'vitest';

import type { BarOut, RegimeChangeOut } from '../../api/generated';
import { regimeAt, rollingVolatility } from './InstrumentChart';

describe('rollingVolatility', () => {
  it('is the annualized sample deviation of the last window of log returns', () => {
    const closes = [100, 101, 99, 102, 100];
    const [, , , , last] = rollingVolatility(closes, 3);
    const returns = [Math.log(99 / 101), Math.log(102 / 99), Math.log(100 / 102)];
    const mean = returns.reduce((a, b) => a + b) / 3;
    const expected = Math.sqrt((returns.reduce((a, b) => a + (b - mean) ** 2, 0) / 2) * 252);
    expect(last).toBeCloseTo(expected, 12);
    expect(rollingVolatility(closes, 3).slice(0, 3)).toEqual([null, null, null]);
  });
});

describe('regimeAt', () => {
  const bar = (time: string) => ({ time }) as BarOut;
  const change = (at: string, to_regime: string) => ({ at, to_regime }) as RegimeChangeOut;
  it('carries each regime forward from its change until the next one', () => {
    const bars = ['2008-09-01', '2008-09-02', '2008-09-03', '2008-09-04'].map(bar);
    const changes = [change('2008-09-03', 'EXTREME'), change('2008-09-02', 'HIGH')];
    expect(regimeAt(bars, changes)).toEqual([null, 'HIGH', 'EXTREME', 'EXTREME']);
  });
});
