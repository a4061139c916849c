import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useDecideAccountRequestsMutation, useListAccountRequestsQuery, type AccountDecisionsOut, type PendingAccountRequestOut } from '../../api/generated';
import { marketTime, money } from '../../components/format';
import DecisionQueue, { DecisionResults, type DecisionRequest } from './DecisionQueue';

/** Linked minors' requests to open or reset an account; several decided in one step (one 2FA code). */
export default function AccountRequests() {
  const { t } = useTranslation();
  const { data: pending = [], isLoading } = useListAccountRequestsQuery(undefined, { pollingInterval: 15_000 });
  const [decideRequests, state] = useDecideAccountRequestsMutation();
  const [result, setResult] = useState<AccountDecisionsOut | null>(null);

  const decide = async ({ ids, decision, code, reason }: DecisionRequest) => {
    const decisions = ids.map((request_id) => ({ request_id, decision, reason }));
    const answer = await decideRequests({ accountDecisionsIn: { code, decisions } }).unwrap().catch(() => null);
    if (answer) setResult(answer);
    return answer !== null;
  };

  const describe = ({ request, minor_display_name }: PendingAccountRequestOut) => (
    <>
      <span className="block font-medium">{t(`guardian.accountWants.${request.kind}`, { name: minor_display_name, account: request.name ?? '' })}</span>
      <span className="block text-sm text-slate-700 dark:text-slate-300">
        {request.starting_cash && `${money(request.starting_cash)} · `}
        {t('guardian.asked', { when: marketTime(request.created_at) })}
      </span>
    </>
  );

  return (
    <DecisionQueue
      items={pending}
      loading={isLoading}
      empty={<p className="text-slate-700 dark:text-slate-300">{t('guardian.accountRequestsEmpty')}</p>}
      results={result && <Results result={result} />}
      idOf={({ request }) => request.id}
      describe={describe}
      legend={t('guardian.accountRequests')}
      approveLabel={(count) => t('guardian.approveRequests', { count })}
      rejectLabel={(count) => t('guardian.rejectRequests', { count })}
      codeHint={t('guardian.accountCodeHint')}
      codeId="account-request-code"
      reasonId="account-reject-reason"
      testIdPrefix="account-request-"
      decide={decide}
      state={state}
    />
  );
}

function Results({ result }: { result: AccountDecisionsOut }) {
  const { t } = useTranslation();
  return (
    <DecisionResults>
      {result.results.map((each) => (
        <li key={each.request_id}>{each.applied ? t(`guardian.accountDone.${each.decision}`) : (each.problem?.detail ?? t('common.failed'))}</li>
      ))}
    </DecisionResults>
  );
}
