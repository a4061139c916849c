import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useGetAutopilotQuery, usePutAutopilotMutation, type AccountOut } from '../../api/generated';
import { useCurrentAccount } from '../../app/session';
import { quantity } from '../../components/format';
import { Loading, ProblemAlert } from '../../components/ui';

/** Autopilot of one account: the switch, what it does in plain words, and its latest decisions. */
function AccountAutopilot({ account }: { account: AccountOut }) {
  const { t } = useTranslation();
  const { data, isLoading } = useGetAutopilotQuery({ accountId: account.id, limit: 10 });
  const [put, state] = usePutAutopilotMutation();
  // The box follows the click at once; the server's answer (refetched) then confirms it.
  const [wanted, setWanted] = useState<boolean | null>(null);
  useEffect(() => {
    if (wanted !== null && data?.enabled === wanted) setWanted(null);
  }, [data?.enabled, wanted]);
  if (isLoading || !data) return <Loading />;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="autopilot-explanation">{data.explanation}</p>
      <label className="flex items-center gap-2 font-medium">
        <input
          type="checkbox"
          checked={wanted ?? data.enabled}
          disabled={state.isLoading}
          onChange={(event) => {
            const enabled = event.target.checked;
            setWanted(enabled);
            void put({ accountId: account.id, autopilotIn: { enabled } }).unwrap().catch(() => setWanted(null));
          }}
        />
        {t('autopilot.switch', { account: account.name })}
      </label>
      <ProblemAlert error={state.error} />
      {data.decisions.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('autopilot.noDecisions')}</p>
      ) : (
        <ul className="space-y-2" aria-label={t('autopilot.decisions')}>
          {data.decisions.map((decision) => (
            <li key={decision.id} className="text-sm" data-testid="autopilot-decision">
              <span className="font-medium">
                {decision.signal_day} · {decision.symbol} · {t(`autopilot.outcome.${decision.outcome}`)}
                {decision.action !== 'hold' && ` (${t(`side.${decision.action}`)} ${quantity(decision.quantity)})`}
              </span>
              <span className="block text-slate-700 dark:text-slate-300">{decision.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export default function Autopilot() {
  const { account, isLoading, error } = useCurrentAccount();
  const { t } = useTranslation();
  // Neither while the accounts load nor when they could not be read is it "open an account first".
  if (isLoading) return <Loading />;
  if (error) return <ProblemAlert error={error} />;
  if (!account) return <p>{t('autopilot.noAccount')}</p>;
  return <AccountAutopilot account={account} />;
}
