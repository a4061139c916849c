import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useDecideAccountRequestsMutation, useListAccountRequestsQuery, type AccountDecisionsOut } from '../../api/generated';
import { useMe } from '../../app/session';
import { marketTime, money } from '../../components/format';
import { buttonClass, Field, inputClass, Loading, ProblemAlert, secondaryButtonClass } from '../../components/ui';

/** Linked minors' requests to open or reset an account; several decided in one step (one 2FA code). */
export default function AccountRequests() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { data: pending = [], isLoading } = useListAccountRequestsQuery(undefined, { pollingInterval: 15_000 });
  const [decide, state] = useDecideAccountRequestsMutation();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<AccountDecisionsOut | null>(null);

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const submit = (decision: 'approve' | 'reject') => async (event?: FormEvent) => {
    event?.preventDefault();
    const decisions = [...selected].map((request_id) => ({ request_id, decision, reason: decision === 'reject' ? reason || t('guardian.defaultRejectReason') : null }));
    const answer = await decide({ accountDecisionsIn: { code: code.trim() || null, decisions } }).unwrap().catch(() => null);
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
        <p className="text-slate-700 dark:text-slate-300">{t('guardian.accountRequestsEmpty')}</p>
      </>
    );
  }
  return (
    <form onSubmit={submit('approve')} className="space-y-4">
      <fieldset>
        <legend className="sr-only">{t('guardian.accountRequests')}</legend>
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {pending.map(({ request, minor_display_name }) => (
            <li key={request.id} className="py-3">
              <label className="flex items-start gap-3">
                <input type="checkbox" className="mt-1 h-5 w-5" checked={selected.has(request.id)} onChange={() => toggle(request.id)} data-testid={`account-request-${request.id}`} />
                <span className="space-y-1">
                  <span className="block font-medium">{t(`guardian.accountWants.${request.kind}`, { name: minor_display_name, account: request.name ?? '' })}</span>
                  <span className="block text-sm text-slate-700 dark:text-slate-300">
                    {request.starting_cash && `${money(request.starting_cash)} · `}
                    {t('guardian.asked', { when: marketTime(request.created_at) })}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        {me?.two_factor_enabled && (
          <Field label={t('guardian.code')} htmlFor="account-request-code" hint={t('guardian.accountCodeHint')}>
            <input id="account-request-code" className={inputClass} inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} aria-describedby="account-request-code-hint" />
          </Field>
        )}
        <Field label={t('guardian.rejectReason')} htmlFor="account-reject-reason">
          <input id="account-reject-reason" className={inputClass} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </div>
      <ProblemAlert error={state.error} />
      <div className="flex flex-wrap gap-3">
        <button className={buttonClass} disabled={selected.size === 0 || state.isLoading}>{t('guardian.approveRequests', { count: selected.size })}</button>
        <button type="button" className={secondaryButtonClass} disabled={selected.size === 0 || state.isLoading} onClick={() => void submit('reject')()}>
          {t('guardian.rejectRequests', { count: selected.size })}
        </button>
      </div>
      {result && <Results result={result} />}
    </form>
  );
}

function Results({ result }: { result: AccountDecisionsOut }) {
  const { t } = useTranslation();
  return (
    <ul role="status" className="space-y-1 rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-800">
      {result.results.map((each) => (
        <li key={each.request_id}>{each.applied ? t(`guardian.accountDone.${each.decision}`) : (each.problem?.detail ?? t('common.failed'))}</li>
      ))}
    </ul>
  );
}
