import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import {
  useChangeScenarioClockMutation,
  useHaltMutation,
  useListScenariosQuery,
  useResumeMutation,
  useSkipScenarioClockMutation,
  type ScenarioOut,
} from '../../api/generated';
import { useMe } from '../../app/session';
import NewScenario from './NewScenario';
import { UsersCard } from './UsersCard';
import { marketTime } from '../../components/format';
import { buttonClass, Card, EmptyState, Field, inputClass, Page, ProblemAlert, secondaryButtonClass, TextLink } from '../../components/ui';

function ScenarioControls({ scenario }: { scenario: ScenarioOut }) {
  const { t } = useTranslation();
  const [change, changeState] = useChangeScenarioClockMutation();
  const [skip, skipState] = useSkipScenarioClockMutation();
  const [halt, haltState] = useHaltMutation();
  const [resume, resumeState] = useResumeMutation();
  const [speed, setSpeed] = useState(String(scenario.clock.seconds_per_day));
  const [days, setDays] = useState('5');
  const clock = scenario.clock;
  return (
    <Card title={scenario.name}>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {t('admin.clockNow', { when: marketTime(clock.market_time), state: clock.paused ? t('admin.paused') : t('admin.running', { seconds: clock.seconds_per_day }) })}
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <button type="button" className={buttonClass} onClick={() => void change({ scenarioId: scenario.id, clockChangeIn: { paused: !clock.paused } })}>
          {clock.paused ? t('admin.resumeClock') : t('admin.pauseClock')}
        </button>
        <form className="flex items-end gap-2" onSubmit={(event: FormEvent) => { event.preventDefault(); void change({ scenarioId: scenario.id, clockChangeIn: { seconds_per_day: Number(speed) } }); }}>
          <Field label={t('admin.speed')} htmlFor={`speed-${scenario.id}`}>
            <input id={`speed-${scenario.id}`} type="number" min="0.5" step="any" className={`${inputClass} w-28`} value={speed} onChange={(e) => setSpeed(e.target.value)} />
          </Field>
          <button className={secondaryButtonClass}>{t('admin.setSpeed')}</button>
        </form>
        <form className="flex items-end gap-2" onSubmit={(event: FormEvent) => { event.preventDefault(); void skip({ scenarioId: scenario.id, skipIn: { days: Number(days) } }); }}>
          <Field label={t('admin.skipDays')} htmlFor={`skip-${scenario.id}`}>
            <input id={`skip-${scenario.id}`} type="number" min="0.1" max="60" step="any" className={`${inputClass} w-24`} value={days} onChange={(e) => setDays(e.target.value)} />
          </Field>
          <button className={secondaryButtonClass}>{t('admin.skip')}</button>
        </form>
      </div>
      <div className="mt-4 flex flex-wrap gap-3">
        <button type="button" className={secondaryButtonClass} onClick={() => void halt({ scenario: scenario.id, forceIn: { scope: 'market', reason: t('admin.haltReason') } })}>{t('admin.halt')}</button>
        <button type="button" className={secondaryButtonClass} onClick={() => void resume({ scenario: scenario.id, forceIn: { scope: 'market' } })}>{t('admin.resume')}</button>
      </div>
      <ProblemAlert error={changeState.error ?? skipState.error ?? haltState.error ?? resumeState.error} />
    </Card>
  );
}

export default function AdminPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { data: scenarios = [] } = useListScenariosQuery(undefined, { pollingInterval: 5_000 });
  if (me && me.role !== 'admin') {
    return <Page title={t('admin.title')}><EmptyState title={t('admin.onlyAdmins')}>{t('admin.onlyAdminsBody')}</EmptyState></Page>;
  }
  return (
    <Page title={t('admin.title')}>
      <nav aria-label={t('admin.more')} className="flex flex-wrap gap-4">
        <TextLink to="/admin/flags">{t('flags.title')}</TextLink>
        <TextLink to="/admin/feedback">{t('feedbackAdmin.title')}</TextLink>
      </nav>
      {scenarios.map((scenario) => <ScenarioControls key={scenario.id} scenario={scenario} />)}
      <Card title={t('admin.newScenario')}><NewScenario /></Card>
      <UsersCard />
    </Page>
  );
}
