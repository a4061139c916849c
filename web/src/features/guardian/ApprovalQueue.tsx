import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useDecideMutation, useListBreakersQuery, useListPendingQuery, useListVolatilityQuery, type DecisionsOut, type PendingApprovalOut } from '../../api/generated';
import { marketTime, money, quantity } from '../../components/format';
import { EmptyState, LevelBadge, RegimeBadge } from '../../components/ui';
import DecisionQueue, { DecisionResults, type DecisionRequest } from './DecisionQueue';

/** Pending orders of linked minors; several approved or rejected in one step (one 2FA code). */
export default function ApprovalQueue() {
  const { t } = useTranslation();
  const { data: pending = [], isLoading } = useListPendingQuery(undefined, { pollingInterval: 15_000 });
  const { data: volatility = [] } = useListVolatilityQuery({});
  const { data: board } = useListBreakersQuery({});
  const [decideOrders, state] = useDecideMutation();
  const [result, setResult] = useState<DecisionsOut | null>(null);

  const decide = async ({ ids, decision, code, reason }: DecisionRequest) => {
    const decisions = ids.map((order_id) => ({ order_id, decision, reason }));
    const answer = await decideOrders({ decisionsIn: { code, decisions } }).unwrap().catch(() => null);
    if (answer) setResult(answer);
    return answer !== null;
  };

  const describe = ({ order, minor_display_name }: PendingApprovalOut) => {
    const reading = volatility.find((each) => each.symbol === order.symbol);
    const breaker = board?.breakers.find((each) => each.scope === 'symbol' && each.key === order.symbol);
    return (
      <>
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
      </>
    );
  };

  return (
    <DecisionQueue
      items={pending}
      loading={isLoading}
      empty={<EmptyState title={t('guardian.queueEmptyTitle')}>{t('guardian.queueEmptyBody')}</EmptyState>}
      results={result && <Results result={result} />}
      idOf={({ order }) => order.id}
      describe={describe}
      legend={t('guardian.queue')}
      selectAllLabel={t('guardian.selectAll')}
      approveLabel={(count) => t('guardian.approveSelected', { count })}
      rejectLabel={(count) => t('guardian.rejectSelected', { count })}
      codeHint={t('guardian.codeHint')}
      codeId="approval-code"
      reasonId="reject-reason"
      testIdPrefix="approve-"
      decide={decide}
      state={state}
    />
  );
}

function Results({ result }: { result: DecisionsOut }) {
  const { t } = useTranslation();
  return (
    <DecisionResults>
      {result.results.map((each) => (
        <li key={each.order_id}>
          {each.applied ? t(`guardian.done.${each.decision}`) : (each.problem?.detail ?? t('common.failed'))}
          {each.order && ` — ${t(`status.${each.order.status}`, each.order.status)}`}
        </li>
      ))}
    </DecisionResults>
  );
}
