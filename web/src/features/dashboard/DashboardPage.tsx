import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useGetAccountQuery, useGetEquityQuery, useListBarsQuery } from '../../api/generated';
import { useCurrentAccount } from '../../app/session';
import { money, signClass } from '../../components/format';
import { Card, ChartSpace, EmptyState, Loading, Page, secondaryButtonClass } from '../../components/ui';
import OpenAccount from './OpenAccount';
import Positions from './Positions';

const EquityChart = lazy(() => import('../../components/charts/EquityChart'));
const INDEX = 'SPX';
const CHART_HEIGHT = 260;

function Figure({ label, value, tone = '' }: { label: string; value: string; tone?: string }) {
  return (
    <div>
      <dt className="text-sm text-slate-600 dark:text-slate-300">{label}</dt>
      <dd className={`text-xl font-semibold tabular-nums ${tone}`}>{value}</dd>
    </div>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const { account: chosen, isLoading } = useCurrentAccount();
  const accountId = chosen?.id ?? '';
  const { data: account = chosen } = useGetAccountQuery({ accountId }, { skip: !accountId, refetchOnMountOrArgChange: true });
  const equityQuery = useGetEquityQuery({ accountId, limit: 2000 }, { skip: !accountId });
  const equity = useMemo(() => equityQuery.data ?? [], [equityQuery.data]);
  // Until the first answer (also on the render before the request starts) the chart's room is kept.
  const equityLoading = !equityQuery.isSuccess && !equityQuery.isError;
  const since = equity[0]?.time.slice(0, 10);
  const { data: bars = [] } = useListBarsQuery(
    { symbol: INDEX, start: since, scenario: account?.scenario_id, limit: 2000 },
    { skip: !account || !since },
  );
  const equityPoints = useMemo(() => equity.map((point) => ({ time: point.time, value: Number(point.equity) })), [equity]);
  const indexPoints = useMemo(() => bars.map((bar) => ({ time: bar.time, value: Number(bar.close) })), [bars]);

  if (isLoading) return <Page title={t('dashboard.title')}><Loading /></Page>;
  if (!account) {
    return (
      <Page title={t('dashboard.title')}>
        <EmptyState title={t('dashboard.emptyTitle')}>{t('dashboard.emptyBody')}</EmptyState>
        <Card title={t('dashboard.openAccount')}>
          <OpenAccount />
        </Card>
      </Page>
    );
  }
  const pnl = Number(account.equity) - Number(account.starting_cash);
  return (
    <Page title={t('dashboard.title')} actions={<Link to="/trade" className={secondaryButtonClass}>{t('dashboard.placeOrder')}</Link>}>
      <Card title={account.name}>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Figure label={t('dashboard.equity')} value={money(account.equity)} />
          <Figure label={t('dashboard.cash')} value={money(account.cash)} />
          <Figure label={t('dashboard.buyingPower')} value={money(account.buying_power)} />
          <Figure label={t('dashboard.pnl')} value={money(pnl)} tone={signClass(pnl)} />
        </dl>
      </Card>
      <Card title={t('dashboard.equityTitle')}>
        {equityLoading ? (
          <ChartSpace height={CHART_HEIGHT} />
        ) : equity.length < 2 ? (
          <p className="text-slate-700 dark:text-slate-300">{t('dashboard.equityEmpty')}</p>
        ) : (
          <figure>
            <Suspense fallback={<ChartSpace height={CHART_HEIGHT} />}>
              <EquityChart equity={equityPoints} index={indexPoints} indexName={INDEX} />
            </Suspense>
            <figcaption className="mt-1 text-sm text-slate-600 dark:text-slate-300">{t('dashboard.equityCaption', { index: INDEX })}</figcaption>
          </figure>
        )}
      </Card>
      <Card title={t('dashboard.positions')}>
        {account.positions.length === 0 ? (
          <EmptyState title={t('dashboard.noPositionsTitle')} action={<Link className={secondaryButtonClass} to="/markets">{t('dashboard.browseMarkets')}</Link>}>
            {t('dashboard.noPositionsBody')}
          </EmptyState>
        ) : (
          <Positions positions={account.positions} />
        )}
      </Card>
      <Card title={t('dashboard.anotherAccount')}>
        <OpenAccount />
      </Card>
    </Page>
  );
}
