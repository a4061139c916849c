import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { usePreviewOrderMutation, type OrderIn, type OrderPreviewOut } from '../../api/generated';
import { money, quantity } from '../../components/format';
import { problemPage } from '../../components/problems';
import { LevelBadge, Loading, ProblemAlert, RegimeBadge } from '../../components/ui';
import { glossaryRoute, lessonRoute } from '../learn/links';

const OUTCOME_STYLE: Record<OrderPreviewOut['outcome'], string> = {
  accepted: 'border-teal-300 bg-teal-50 text-teal-950 dark:border-teal-700 dark:bg-teal-950 dark:text-teal-50',
  waits_for_guardian: 'border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-700 dark:bg-sky-950 dark:text-sky-50',
  refused: 'border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-50',
  repeat: 'border-slate-300 bg-slate-50 dark:border-slate-600 dark:bg-slate-800',
};

/** What placing the order would do, judged by the server's own order gate, before it is sent:
 * the cost, buying power after, the regime, every breaker, every rule that would refuse or cut
 * it — each with its explanation and lesson. */
export default function Preview({ order }: { order: OrderIn }) {
  const { t } = useTranslation();
  const [preview, { data, error, isLoading }] = usePreviewOrderMutation();
  useEffect(() => {
    void preview({ orderIn: order });
  }, [order, preview]);
  if (isLoading || (!data && !error)) return <Loading />;
  if (!data) return <ProblemAlert error={error} />;
  return (
    <div className="space-y-4" data-testid="order-preview">
      <p role="status" className={`rounded-lg border p-3 ${OUTCOME_STYLE[data.outcome]}`}>
        <strong>{t(`preview.outcome.${data.outcome}`)}</strong> {data.detail}
      </p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('common.quantity')}</dt><dd className="tabular-nums">{quantity(data.estimate.quantity)} {data.symbol}</dd></div>
        <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('preview.cost')}</dt><dd className="tabular-nums">{money(data.estimate.cost)}</dd></div>
        <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('preview.fees')}</dt><dd className="tabular-nums">{money(data.estimate.commission)}</dd></div>
        <div><dt className="text-sm text-slate-600 dark:text-slate-300">{t('preview.buyingPowerAfter')}</dt><dd className="tabular-nums">{money(data.buying_power)} → {money(data.buying_power_after)}</dd></div>
      </dl>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>{t('markets.regime')}:</span> <RegimeBadge regime={data.regime ?? undefined} />
        {data.breakers.map((breaker) => (
          <span key={`${breaker.scope}-${breaker.key}`} className="inline-flex items-center gap-1">
            <span>{t(`scope.${breaker.scope}`)}:</span> <LevelBadge level={breaker.effective_level} />
          </span>
        ))}
      </div>
      {data.findings.length > 0 && (
        <ul className="space-y-2" aria-label={t('preview.findings')}>
          {data.findings.map((finding) => {
            const lesson = lessonRoute(finding.lesson) ?? glossaryRoute(finding.glossary);
            const page = problemPage(finding.type);
            return (
              <li key={finding.code} className="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
                <p><strong>{t(`preview.effect.${finding.effect}`)}</strong> {finding.detail}</p>
                <p className="mt-1 flex flex-wrap gap-4 text-sm">
                  {lesson && <Link className="font-medium underline" to={lesson}>{t('common.learnWhy')}</Link>}
                  {page && <a className="font-medium underline" href={page} target="_blank" rel="noreferrer">{t('common.whatThisMeans')}</a>}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
