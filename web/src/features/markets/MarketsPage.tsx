import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useListBreakersQuery, useListInstrumentsQuery, useListQuotesQuery, useListVolatilityQuery } from '../../api/generated';
import { useScenarioId } from '../../app/session';
import { price } from '../../components/format';
import { Card, EmptyState, LevelBadge, Loading, Page, RegimeBadge, Table, td, th } from '../../components/ui';
import { useNarrowScreen } from '../../components/useNarrowScreen';

type Row = { symbol: string; name: string; last: number | null; bid: string | null; ask: string | null; regime: string; level: string; tradable: boolean };
type Key = 'symbol' | 'last' | 'regime' | 'level';
const ORDER: Record<string, number> = { LOW: 0, NORMAL: 1, HIGH: 2, EXTREME: 3, OPEN: 0, CAUTIOUS: 1, RESTRICTED: 2, CLOSED: 3 };

export default function MarketsPage() {
  const { t } = useTranslation();
  const scenario = useScenarioId();
  const { data: instruments = [], isLoading } = useListInstrumentsQuery({ scenario });
  const { data: quotes = [] } = useListQuotesQuery({ scenario });
  const { data: volatility = [] } = useListVolatilityQuery({ scenario }, { pollingInterval: 60_000 });
  const { data: board } = useListBreakersQuery({ scenario });
  const [sort, setSort] = useState<{ key: Key; ascending: boolean }>({ key: 'symbol', ascending: true });
  // On a phone: no bid / ask (the instrument's page has it), volatility and trading stacked in one
  // column, so what decides whether one can trade stays on screen.
  const narrow = useNarrowScreen();

  const rows = useMemo<Row[]>(() => {
    const made = instruments.map((instrument) => {
      const quote = quotes.find((each) => each.symbol === instrument.symbol);
      const symbolBreaker = board?.breakers.find((each) => each.scope === 'symbol' && each.key === instrument.symbol);
      return {
        symbol: instrument.symbol,
        name: instrument.name,
        last: quote ? Number(quote.last) : null,
        bid: quote?.bid ?? null,
        ask: quote?.ask ?? null,
        regime: volatility.find((each) => each.symbol === instrument.symbol)?.regime ?? '',
        level: symbolBreaker?.effective_level ?? '',
        tradable: instrument.tradable,
      };
    });
    const value = (row: Row) => (sort.key === 'symbol' ? row.symbol : sort.key === 'last' ? (row.last ?? -1) : (ORDER[row[sort.key]] ?? -1));
    return made.sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const result = x < y ? -1 : x > y ? 1 : 0;
      return sort.ascending ? result : -result;
    });
  }, [instruments, quotes, volatility, board, sort]);

  const header = (key: Key, label: string, right = false) => (
    <th className={`${th} ${right ? 'text-right' : ''}`} aria-sort={sort.key === key ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="font-semibold underline-offset-2 hover:underline" onClick={() => setSort({ key, ascending: sort.key === key ? !sort.ascending : true })}>
        {label}
        {sort.key === key ? (sort.ascending ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );

  return (
    <Page title={t('markets.title')}>
      <Card>
        {isLoading ? (
          <Loading />
        ) : rows.length === 0 ? (
          <EmptyState title={t('markets.emptyTitle')}>{t('markets.emptyBody')}</EmptyState>
        ) : (
          <Table caption={t('markets.title')} fit={narrow}>
            <thead>
              <tr>
                {header('symbol', t('common.symbol'))}
                {header('last', t('markets.last'), true)}
                {!narrow && <th className={`${th} text-right`}>{t('markets.bidAsk')}</th>}
                {!narrow && header('regime', t('markets.regime'))}
                {header('level', narrow ? t('markets.regimeAndTrading') : t('markets.trading'))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.symbol}>
                  <td className={td}>
                    <Link className="font-medium underline" to={`/markets/${row.symbol}`}>{row.symbol}</Link>
                    <span className="block text-xs text-slate-600 dark:text-slate-300">{row.name}{row.tradable ? '' : ` · ${t('markets.notTradable')}`}</span>
                  </td>
                  <td className={`${td} text-right tabular-nums`} data-testid={`last-${row.symbol}`}>{price(row.last)}</td>
                  {!narrow && <td className={`${td} text-right tabular-nums`}>{price(row.bid)} / {price(row.ask)}</td>}
                  {narrow ? (
                    <td className={td}><span className="flex flex-col items-start gap-1"><RegimeBadge regime={row.regime || undefined} /><LevelBadge level={row.level || undefined} /></span></td>
                  ) : (
                    <>
                      <td className={td}><RegimeBadge regime={row.regime || undefined} /></td>
                      <td className={td}><LevelBadge level={row.level || undefined} /></td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </Page>
  );
}
