import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { useGetVolatilityQuery, useListBarsQuery, useListBreakersQuery, useListQuotesQuery, useRegimeHistoryQuery } from '../../api/generated';
import { useScenarioId } from '../../app/session';
import { percent, price } from '../../components/format';
import { buttonClass, Card, ChartSpace, LevelBadge, Loading, Page, ProblemAlert, RegimeBadge, secondaryButtonClass } from '../../components/ui';

const InstrumentChart = lazy(() => import('../../components/charts/InstrumentChart'));

export default function InstrumentPage() {
  const { t } = useTranslation();
  const symbol = (useParams().symbol ?? '').toUpperCase();
  const scenario = useScenarioId();
  const { data: bars = [], isLoading, error } = useListBarsQuery({ symbol, scenario, limit: 750 });
  const { data: changes = [] } = useRegimeHistoryQuery({ symbol, scenario, limit: 500 });
  const { data: reading } = useGetVolatilityQuery({ symbol, scenario }, { pollingInterval: 60_000 });
  const { data: quotes = [] } = useListQuotesQuery({ scenario });
  const { data: board } = useListBreakersQuery({ scenario });
  const quote = quotes.find((each) => each.symbol === symbol);
  const breakers = (board?.breakers ?? []).filter((each) => each.scope === 'market' || each.key === symbol);
  const annualized = reading?.estimators?.['close_to_close_21d'] as number | undefined;

  return (
    <Page
      title={symbol}
      actions={
        <div className="flex gap-2">
          <Link className={buttonClass} to={`/trade?symbol=${symbol}&side=buy`}>{t('side.buy')}</Link>
          <Link className={secondaryButtonClass} to={`/trade?symbol=${symbol}&side=sell`}>{t('side.sell')}</Link>
        </div>
      }
    >
      <ProblemAlert error={error} />
      <Card>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('markets.last')}</dt><dd className="text-xl font-semibold tabular-nums">{price(quote?.last)}</dd></div>
          <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('markets.bidAsk')}</dt><dd className="tabular-nums">{price(quote?.bid)} / {price(quote?.ask)}</dd></div>
          <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('markets.regime')}</dt><dd><RegimeBadge regime={reading?.regime} /></dd></div>
          <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('instrument.volatility')}</dt><dd className="tabular-nums">{percent(annualized ?? null)}</dd></div>
        </dl>
        {reading?.reason && <p className="mt-3 text-slate-700 dark:text-slate-300">{reading.reason}</p>}
      </Card>
      <Card title={t('instrument.chartTitle')}>
        {isLoading ? <Loading /> : bars.length === 0 ? <p>{t('instrument.noBars')}</p> : (
          <Suspense fallback={<ChartSpace height={420} />}>
            <InstrumentChart bars={bars} changes={changes} symbol={symbol} />
          </Suspense>
        )}
      </Card>
      <Card title={t('instrument.breakersTitle')}>
        <ul className="space-y-2">
          {breakers.map((breaker) => (
            <li key={`${breaker.scope}-${breaker.key}-${breaker.breaker}`} className="flex flex-wrap items-start gap-2">
              <LevelBadge level={breaker.effective_level} />
              <span className="font-medium">{t(`scope.${breaker.scope}`)}</span>
              <span className="text-slate-700 dark:text-slate-300">{breaker.reason}</span>
            </li>
          ))}
        </ul>
      </Card>
    </Page>
  );
}
