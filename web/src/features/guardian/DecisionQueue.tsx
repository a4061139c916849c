import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { useMe } from '../../app/session';
import { buttonClass, Field, inputClass, Loading, ProblemAlert, secondaryButtonClass } from '../../components/ui';

export type Decision = 'approve' | 'reject';

/** What one submit asks for: the ticked ids, one decision for all, the 2FA code and, to reject, the reason. */
export type DecisionRequest = { ids: string[]; decision: Decision; code: string | null; reason: string | null };

type Props<T> = {
  items: readonly T[];
  loading: boolean;
  /** Shown instead of the form when nothing waits. */
  empty: ReactNode;
  /** What the last decisions did: under the buttons, or above `empty` once the queue is cleared. */
  results: ReactNode;
  idOf: (item: T) => string;
  /** The words beside an item's checkbox (they name it to a screen reader). */
  describe: (item: T) => ReactNode;
  legend: string;
  /** Shown above the items, when there are two or more, to tick or untick them all. */
  selectAllLabel?: string;
  approveLabel: (count: number) => string;
  rejectLabel: (count: number) => string;
  codeHint: string;
  /** Ids of the code and reason fields and the checkboxes' test-id prefix (the browser tests find them). */
  codeId: string;
  reasonId: string;
  testIdPrefix: string;
  /** Sends the decisions; true when the server answered (the ticks and the code are then cleared). */
  decide: (request: DecisionRequest) => Promise<boolean>;
  /** The decide mutation's state: busy while sending, and the problem if the server refused. */
  state: { isLoading: boolean; error?: Parameters<typeof ProblemAlert>[0]['error'] };
};

/** The list of what each decision did, read out when it appears. */
export function DecisionResults({ children }: { children: ReactNode }) {
  return <ul role="status" className="space-y-1 rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-800">{children}</ul>;
}

/**
 * A guardian's queue of things to approve or reject together with one 2FA code (minors' orders,
 * minors' account requests): tick items, type the code, Approve N (Enter) or Reject N.
 */
export default function DecisionQueue<T>({
  items, loading, empty, results, idOf, describe, legend, selectAllLabel, approveLabel, rejectLabel, codeHint, codeId, reasonId, testIdPrefix, decide, state,
}: Props<T>) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const submit = (decision: Decision) => async (event?: FormEvent) => {
    event?.preventDefault();
    const done = await decide({
      ids: [...selected],
      decision,
      code: code.trim() || null,
      reason: decision === 'reject' ? reason || t('guardian.defaultRejectReason') : null,
    });
    if (done) {
      setSelected(new Set());
      setCode('');
    }
  };

  if (loading) return <Loading />;
  if (items.length === 0) {
    return (
      <>
        {results}
        {empty}
      </>
    );
  }
  const busy = state.isLoading;
  return (
    <form onSubmit={submit('approve')} className="space-y-4">
      <fieldset>
        <legend className="sr-only">{legend}</legend>
        {selectAllLabel && items.length > 1 && (
          <label className="flex items-center gap-3 border-b border-slate-100 pb-3 font-medium dark:border-slate-800">
            <input
              type="checkbox"
              className="h-5 w-5"
              checked={items.every((item) => selected.has(idOf(item)))}
              onChange={(event) => setSelected(event.target.checked ? new Set(items.map(idOf)) : new Set())}
            />
            {selectAllLabel}
          </label>
        )}
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {items.map((item) => {
            const id = idOf(item);
            return (
              <li key={id} className="py-3">
                <label className="flex items-start gap-3">
                  <input type="checkbox" className="mt-1 h-5 w-5" checked={selected.has(id)} onChange={() => toggle(id)} data-testid={`${testIdPrefix}${id}`} />
                  <span className="space-y-1">{describe(item)}</span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        {me?.two_factor_enabled && (
          <Field label={t('guardian.code')} htmlFor={codeId} hint={codeHint}>
            <input id={codeId} className={inputClass} inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} aria-describedby={`${codeId}-hint`} />
          </Field>
        )}
        <Field label={t('guardian.rejectReason')} htmlFor={reasonId}>
          <input id={reasonId} className={inputClass} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </div>
      <ProblemAlert error={state.error} />
      <div className="flex flex-wrap gap-3">
        <button className={buttonClass} disabled={selected.size === 0 || busy}>{approveLabel(selected.size)}</button>
        <button type="button" className={secondaryButtonClass} disabled={selected.size === 0 || busy} onClick={() => void submit('reject')()}>
          {rejectLabel(selected.size)}
        </button>
      </div>
      {results}
    </form>
  );
}
