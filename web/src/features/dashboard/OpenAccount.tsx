import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useListScenariosQuery, useOpenAccountMutation } from '../../api/generated';
import { useAppDispatch } from '../../app/hooks';
import { accountChosen } from '../../app/uiSlice';
import { buttonClass, Field, inputClass, ProblemAlert } from '../../components/ui';

export default function OpenAccount() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { data: scenarios = [] } = useListScenariosQuery();
  const [open, state] = useOpenAccountMutation();
  const [name, setName] = useState(t('dashboard.defaultAccountName'));
  const [scenarioId, setScenarioId] = useState('default');
  const [asked, setAsked] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const account = await open({ accountIn: { name, scenario_id: scenarioId } }).unwrap().catch(() => null);
    // A minor's opening waits for a guardian's consent: the answer is the request (202).
    if (account && 'kind' in account) setAsked(true);
    else if (account) dispatch(accountChosen(account.id));
  };

  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
      <Field label={t('dashboard.accountName')} htmlFor="account-name">
        <input id="account-name" className={inputClass} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t('dashboard.market')} htmlFor="account-scenario">
        <select id="account-scenario" className={inputClass} value={scenarioId} onChange={(e) => setScenarioId(e.target.value)}>
          {scenarios.map((scenario) => (
            <option key={scenario.id} value={scenario.id}>
              {scenario.name}
            </option>
          ))}
        </select>
      </Field>
      <button className={buttonClass} disabled={state.isLoading}>
        {t('dashboard.openAccount')}
      </button>
      <div className="sm:col-span-3">
        <ProblemAlert error={state.error} />
        {asked && <p role="status" className="rounded-lg bg-sky-50 p-3 text-sky-900 dark:bg-sky-950 dark:text-sky-100">{t('dashboard.askedGuardian')}</p>}
      </div>
    </form>
  );
}
