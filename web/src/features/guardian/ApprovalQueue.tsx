import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useDecideMutation, useListBreakersQuery, useListPendingQuery, useListVolatilityQuery, type DecisionsOut } from '../../api/generated';
import { useMe } from '../../app/session';
import { marketTime, money, quantity } from '../../components/format';
import { buttonClass, EmptyState, Field, inputClass, LevelBadge, Loading, ProblemAlert, RegimeBadge, secondaryButtonClass } from '../../components/ui';

/** Pending orders of linked minors; several approved or rejected in one step (one 2FA code). */
export default function ApprovalQueue() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { data: pending = [], isLoading } = useListPendingQuery(undefined, { pollingInterval: 15_000 });
  const { data: volatility = [] } = useListVolatilityQuery({});
  const { data: board } = useListBreakersQuery({});
  const [decide, state] = useDecideMutation();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<DecisionsOut | null>(null);

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const submit = (decision: 'approve' | 'reject') => async (event?: FormEvent) => {
    event?.preventDefault();
    const decisions = [...selected].map((order_id) => ({ order_id, decision, reason: decision === 'reject' ? reason || t('guardian.defaultRejectReason') : null }));
    const answer = await decide({ decisionsIn: { code: code.trim() || null, decisions } }).unwrap().catch(() => null);
    if (answer) {
      setResult(answer);
      setSelected(new Set());
      setCode('');
    }
  };

  if (isLoading) return <Loading />;
  if (pending.length === 0) {
    return (
      <>
        {result && <Results result={result} />}
        <EmptyState title={t('guardian.queueEmptyTitle')}>{t('guardian.queueEmptyBody')}</EmptyState>
      </>
    );
  }
  return (
    <form onSubmit={submit('approve')} className="space-y-4">
      <fieldset>
        <legend className="sr-only">{t('guardian.queue')}</legend>
        {pending.length > 1 && (
          <label className="flex items-center gap-3 border-b border-slate-100 pb-3 font-medium dark:border-slate-800">
            <input
              type="checkbox"
              className="h-5 w-5"
              checked={pending.every(({ order }) => selected.has(order.id))}
              onChange={(event) => setSelected(event.target.checked ? new Set(pending.map(({ order }) => order.id)) : new Set())}
            />
            {t('guardian.selectAll')}
          </label>
        )}
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {pending.map(({ order, minor_display_name }) => {
            const reading = volatility.find((each) => each.symbol === order.symbol);
            const breaker = board?.breakers.find((each) => each.scope === 'symbol' && each.key === order.symbol);
            return (
              <li key={order.id} className="py-3">
                <label className="flex items-start gap-3">
                  <input type="checkbox" className="mt-1 h-5 w-5" checked={selected.has(order.id)} onChange={() => toggle(order.id)} data-testid={`approve-${order.id}`} />
                  <span className="space-y-1">
                    <span className="block font-medium">
                      {t('guardian.wants', { name: minor_display_name, side: t(`side.${order.side}`), amount: order.quantity ? quantity(order.quantity) : money(order.notional), symbol: order.symbol })}
                    </span>
                    <span className="block text-sm text-slate-700 dark:text-slate-300">
                      {t(`orderType.${order.type}`)} · {t('guardian.asked', { when: marketTime(order.created_at) })}
                      {order.approval_expires_at && ` · ${t('guardian.expires', { when: marketTime(order.approval_expires_at) })}`}
                    </span>
                    <span className="flex flex-wrap items-center gap-2 text-sm">
                      <RegimeBadge regime={reading?.regime} /> <LevelBadge level={breaker?.effective_level} />
                      <span className="text-slate-700 dark:text-slate-300">{breaker?.reason ?? reading?.reason}</span>
                    </span>
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        {me?.two_factor_enabled && (
          <Field label={t('guardian.code')} htmlFor="approval-code" hint={t('guardian.codeHint')}>
            <input id="approval-code" className={inputClass} inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} aria-describedby="approval-code-hint" />
          </Field>
        )}
        <Field label={t('guardian.rejectReason')} htmlFor="reject-reason">
          <input id="reject-reason" className={inputClass} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </div>
      <ProblemAlert error={state.error} />
      <div className="flex flex-wrap gap-3">
        <button className={buttonClass} disabled={selected.size === 0 || state.isLoading}>{t('guardian.approveSelected', { count: selected.size })}</button>
        <button type="button" className={secondaryButtonClass} disabled={selected.size === 0 || state.isLoading} onClick={() => void submit('reject')()}>
          {t('guardian.rejectSelected', { count: selected.size })}
        </button>
      </div>
      {result && <Results result={result} />}
    </form>
  );
}

function Results({ result }: { result: DecisionsOut }) {
  const { t } = useTranslation();
  return (
    <ul role="status" className="space-y-1 rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-800">
      {result.results.map((each) => (
        <li key={each.order_id}>
          {each.applied ? t(`guardian.done.${each.decision}`) : (each.problem?.detail ?? t('common.failed'))}
          {each.order && ` — ${t(`status.${each.order.status}`, each.order.status)}`}
        </li>
      ))}
    </ul>
  );
}
