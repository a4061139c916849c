import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useCancelBacktestMutation, useGetBacktestEquityQuery, useGetBacktestQuery } from '../../api/generated';
import { money, percent } from '../../components/format';
import { Card, ChartSpace, Loading, Page, ProblemAlert, secondaryButtonClass } from '../../components/ui';
import { Progress } from './BacktestsPage';

const BacktestCharts = lazy(() => import('../../components/charts/BacktestCharts'));
const SHOWN = ['return_pct', 'buy_hold_return_pct', 'sharpe', 'max_drawdown_pct', 'trade_count', 'win_rate_pct'] as const;

export default function BacktestPage() {
  const { t } = useTranslation();
  const runId = useParams().runId ?? '';
  const { data: run, error } = useGetBacktestQuery({ runId }, { pollingInterval: 1_500, skipPollingIfUnfocused: true });
  const done = run?.status === 'succeeded';
  const { data: points = [] } = useGetBacktestEquityQuery({ runId }, { skip: !done });
  const [cancel] = useCancelBacktestMutation();
  const active = run?.status === 'queued' || run?.status === 'running';
  return (
    <Page title={run ? `${run.strategy} · ${run.symbol ?? run.dataset}` : t('backtests.title')}>
      <ProblemAlert error={error} />
      {!run ? <Loading /> : (
        <>
          <Card>
            <div className="flex flex-wrap items-center gap-4">
              <span className="font-medium">{t(`backtests.status.${run.status}`, run.status)}</span>
              {active && <Progress value={run.progress} label={t('backtests.progress')} />}
              {active && <button type="button" className={secondaryButtonClass} onClick={() => void cancel({ runId })}>{t('orders.cancel')}</button>}
              {done && <a className={secondaryButtonClass} href={run.links.report} download={`backtest-${run.id}.html`}>{t('backtests.report')}</a>}
            </div>
            {run.error && <p className="mt-2 text-rose-800 dark:text-rose-300">{run.error}</p>}
            {run.note && <p className="mt-2 text-slate-700 dark:text-slate-300" data-testid="backtest-note"><strong>{t('backtests.note')}:</strong> {run.note}</p>}
          </Card>
          {done && (
            <>
              <Card title={t('backtests.results')}>
                <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
                  <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('backtests.finalEquity')}</dt><dd className="text-lg font-semibold">{money(run.final_equity)}</dd></div>
                  {SHOWN.map((key) => {
                    const value = run.stats?.[key] as number | undefined;
                    const shown = value === undefined || value === null ? '—' : key.endsWith('_pct') ? percent(value / 100, 1, key !== 'win_rate_pct') : key === 'trade_count' ? String(value) : value.toFixed(2);
                    return <div key={key}><dt className="text-sm text-slate-600 dark:text-slate-300">{t(`backtests.stats.${key}`)}</dt><dd className="text-lg font-semibold tabular-nums">{shown}</dd></div>;
                  })}
                </dl>
              </Card>
              <Card title={t('backtests.equityTitle')}>
                <Suspense fallback={<ChartSpace height={380} />}>{points.length > 0 ? <BacktestCharts points={points} /> : <ChartSpace height={380} />}</Suspense>
              </Card>
            </>
          )}
        </>
      )}
    </Page>
  );
}
