import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useBreakerHistoryQuery, useListBreakersQuery, useListVolatilityQuery, type BreakerOut } from '../../api/generated';
import { useScenarioId } from '../../app/session';
import { marketTime } from '../../components/format';
import { Card, EmptyState, LevelBadge, Loading, Page, RegimeBadge, Table, td, th } from '../../components/ui';

const SCOPES = ['market', 'symbol', 'account'] as const;

function BreakerRow({ breaker }: { breaker: BreakerOut }) {
  const { t } = useTranslation();
  return (
    <li className="border-b border-slate-100 py-2 last:border-0 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-2">
        <LevelBadge level={breaker.effective_level} />
        <span className="font-medium">{breaker.key}</span>
        {breaker.since && <span className="text-xs text-slate-600 dark:text-slate-300">{t('breakers.since', { when: marketTime(breaker.since) })}</span>}
      </div>
      <p className="mt-1 text-slate-700 dark:text-slate-300">{breaker.reason}</p>
      {breaker.condition && <p className="text-sm text-slate-600 dark:text-slate-300">{breaker.condition}</p>}
    </li>
  );
}

export default function RiskPage() {
  const { t } = useTranslation();
  const scenario = useScenarioId();
  const { data: board, isLoading } = useListBreakersQuery({ scenario }, { pollingInterval: 30_000 });
  const { data: volatility = [] } = useListVolatilityQuery({ scenario }, { pollingInterval: 60_000 });
  const { data: history = [] } = useBreakerHistoryQuery({ scenario, limit: 50 });

  return (
    <Page title={t('risk.title')}>
      <p className="max-w-prose text-slate-700 dark:text-slate-300">{t('risk.intro')}</p>
      <Card title={t('risk.regimes')}>
        {volatility.length === 0 ? <p>{t('risk.noReadings')}</p> : (
          <Table caption={t('risk.regimes')}>
            <thead><tr><th className={th}>{t('common.symbol')}</th><th className={th}>{t('markets.regime')}</th><th className={th}>{t('risk.why')}</th></tr></thead>
            <tbody>
              {volatility.map((reading) => (
                <tr key={reading.symbol}>
                  <td className={td}><Link className="underline" to={`/markets/${reading.symbol}`}>{reading.symbol}</Link></td>
                  <td className={td}><RegimeBadge regime={reading.regime} /></td>
                  <td className={td}>{reading.reason}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <div className="grid gap-6 lg:grid-cols-3">
        {SCOPES.map((scope) => {
          const breakers = (board?.breakers ?? []).filter((each) => each.scope === scope);
          return (
            <Card key={scope} title={t(`scope.${scope}`)}>
              {isLoading ? <Loading /> : breakers.length === 0 ? <p className="text-slate-700 dark:text-slate-300">{t(`risk.none.${scope}`)}</p> : (
                <ul>{breakers.map((breaker) => <BreakerRow key={`${breaker.key}-${breaker.breaker}`} breaker={breaker} />)}</ul>
              )}
            </Card>
          );
        })}
      </div>
      <Card title={t('risk.timeline')}>
        {history.length === 0 ? (
          <EmptyState title={t('risk.noHistoryTitle')}>{t('risk.noHistoryBody')}</EmptyState>
        ) : (
          <ol className="space-y-2">
            {history.map((move, index) => (
              <li key={move.id ?? index} className="flex flex-wrap items-center gap-2 text-sm">
                <time className="w-40 shrink-0 text-slate-600 dark:text-slate-300" dateTime={move.at}>{marketTime(move.at)}</time>
                <span className="font-medium">{move.scope_key}</span>
                <LevelBadge level={move.from_level} /> → <LevelBadge level={move.to_level} />
                <span className="basis-full text-slate-700 sm:basis-auto dark:text-slate-300">{move.reason}</span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </Page>
  );
}
