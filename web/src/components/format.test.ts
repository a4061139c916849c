import { afterEach, describe, expect, it } from 'vitest';

import { changeLanguage } from '../i18n';
import { marketTime, money, percent, quantity, wholeMoney } from './format';

describe('formatting for people (formatters kept per language)', () => {
  afterEach(async () => changeLanguage('en'));

  it('writes amounts and dates the way the chosen language does, also after a switch', async () => {
    expect(money('1234.5')).toBe('$1,234.50');
    expect(wholeMoney(101692.95)).toBe('$101,693'); // a chart's axis
    expect(quantity('1229.197804')).toBe('1,229.197804');
    expect(percent(0.0725)).toBe('+7.3%');
    expect(percent(0.333, 1, false)).toBe('33.3%'); // a share of a whole has no sign
    expect(marketTime('2008-09-15T13:30:00Z', false)).toBe('Sep 15, 2008');

    await changeLanguage('es');
    expect(money('12345.5')).toMatch(/^12\.345,50\s*US\$$/);
    expect(marketTime('2008-09-15T13:30:00Z', false)).toBe('15 sept 2008');

    await changeLanguage('en');
    expect(money('1234.5')).toBe('$1,234.50'); // not the Spanish formatter kept from before
  });

  it('shows a dash for nothing', () => {
    expect(money(null)).toBe('—');
    expect(quantity('')).toBe('—');
    expect(marketTime(undefined)).toBe('—');
  });
});
