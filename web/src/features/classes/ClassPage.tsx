import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import {
  useChangeClassClockMutation,
  useGetClassQuery,
  useGetLeaderboardQuery,
  useGetScenarioQuery,
  useImportRosterMutation,
  useListStudentsQuery,
  usePatchClassMutation,
  useSkipClassClockMutation,
} from '../../api/generated';
import { useShowMarket } from '../../app/pageMarket';
import { marketTime } from '../../components/format';
import { buttonClass, Card, EmptyState, Field, inputClass, Page, ProblemAlert, secondaryButtonClass, Table, td, TextLink, th } from '../../components/ui';
import { CsvDownload, LeaderboardTable, ScorePicker } from './Leaderboard';

function Roster({ classId }: { classId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('name,email,date_of_birth\n');
  const [importRoster, state] = useImportRosterMutation();
  const errors = ((state.error as { data?: { errors?: { row: number; field: string; message: string }[] } } | undefined)?.data?.errors) ?? [];
  return (
    <Card title={t('classes.roster')}>
      <form onSubmit={(e) => { e.preventDefault(); void importRoster({ classId, rosterIn: { csv: text } }); }}>
        <Field label={t('classes.rosterCsv')} htmlFor="roster-csv" hint={t('classes.rosterHint')}>
          <textarea id="roster-csv" rows={6} className={`${inputClass} font-mono`} value={text} onChange={(e) => setText(e.target.value)} aria-describedby="roster-csv-hint" />
        </Field>
        <button className={`${buttonClass} mt-3`} disabled={state.isLoading}>{t('classes.import')}</button>
      </form>
      <ProblemAlert error={state.error} />
      {errors.length > 0 && (
        <Table caption={t('classes.rosterErrors')}>
          <thead><tr><th className={th} scope="col">{t('classes.line')}</th><th className={th} scope="col">{t('classes.field')}</th><th className={th} scope="col">{t('classes.problem')}</th></tr></thead>
          <tbody>{errors.map((error) => <tr key={`${error.row}-${error.field}`} data-testid="roster-error"><td className={td}>{error.row}</td><td className={td}>{error.field}</td><td className={td}>{error.message}</td></tr>)}</tbody>
        </Table>
      )}
      {state.data && (
        <>
          <p role="status" className="mt-3 font-medium">{t('classes.passwordsOnce', { count: state.data.created.length })}</p>
          <Table caption={t('classes.newStudents')}>
            <thead><tr><th className={th} scope="col">{t('classes.line')}</th><th className={th} scope="col">{t('classes.student')}</th><th className={th} scope="col">{t('auth.email')}</th><th className={th} scope="col">{t('classes.oneTimePassword')}</th></tr></thead>
            <tbody>{state.data.created.map((row) => <tr key={row.user_id} data-testid="new-student"><td className={td}>{row.row}</td><td className={td}>{row.name}</td><td className={td}>{row.email}</td><td className={`${td} font-mono`}>{row.one_time_password}</td></tr>)}</tbody>
          </Table>
        </>
      )}
    </Card>
  );
}

function Clock({ classId, scenarioId }: { classId: string; scenarioId: string }) {
  const { t } = useTranslation();
  const { data: scenario, refetch } = useGetScenarioQuery({ scenarioId }, { pollingInterval: 5000 });
  const [change, changeState] = useChangeClassClockMutation();
  const [skip, skipState] = useSkipClassClockMutation();
  const [typed, setSpeed] = useState<string | null>(null);
  const [days, setDays] = useState('1');
  const clock = scenario?.clock;
  // The field shows the clock's speed until the teacher types another.
  const speed = typed ?? (clock ? String(clock.seconds_per_day) : '');
  return (
    <Card title={t('classes.clock')}>
      {clock && <p data-testid="class-clock">{t('admin.clockNow', { when: marketTime(clock.market_time), state: clock.paused ? t('admin.paused') : t('admin.running', { seconds: clock.seconds_per_day }) })}</p>}
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <button type="button" className={buttonClass} onClick={() => void change({ classId, clockChangeIn: { paused: !clock?.paused } }).then(() => refetch())}>{clock?.paused ? t('admin.resumeClock') : t('admin.pauseClock')}</button>
        <form className="flex items-end gap-2" onSubmit={(e) => { e.preventDefault(); void change({ classId, clockChangeIn: { seconds_per_day: Number(speed) } }).then(() => refetch()); }}>
          <Field label={t('admin.speed')} htmlFor="class-clock-speed"><input id="class-clock-speed" inputMode="decimal" className={inputClass} required value={speed} onChange={(e) => setSpeed(e.target.value)} /></Field>
          <button className={secondaryButtonClass}>{t('admin.setSpeed')}</button>
        </form>
        <form className="flex items-end gap-2" onSubmit={(e) => { e.preventDefault(); void skip({ classId, skipIn: { days: Number(days) } }).then(() => refetch()); }}>
          <Field label={t('admin.skipDays')} htmlFor="class-clock-skip"><input id="class-clock-skip" inputMode="decimal" className={inputClass} required value={days} onChange={(e) => setDays(e.target.value)} /></Field>
          <button className={secondaryButtonClass}>{t('admin.skip')}</button>
        </form>
      </div>
      <ProblemAlert error={changeState.error ?? skipState.error} />
    </Card>
  );
}

function Students({ classId }: { classId: string }) {
  const { t } = useTranslation();
  const { data: students = [] } = useListStudentsQuery({ classId });
  if (students.length === 0) return <EmptyState title={t('classes.noStudentsTitle')}>{t('classes.noStudentsBody')}</EmptyState>;
  return (
    <Card title={t('classes.students')}>
      <Table caption={t('classes.students')}>
        <thead><tr><th className={th} scope="col">{t('classes.student')}</th><th className={th} scope="col">{t('auth.email')}</th><th className={th} scope="col">{t('classes.signedIn')}</th></tr></thead>
        <tbody>{students.map((s) => <tr key={s.user_id}><th className={td} scope="row"><TextLink to={`/classes/${classId}/students/${s.user_id}`}>{s.name}</TextLink></th><td className={td}>{s.email}</td><td className={td}>{s.has_signed_in ? t('classes.yes') : t('classes.notYet')}</td></tr>)}</tbody>
      </Table>
    </Card>
  );
}

export default function ClassPage() {
  const { t } = useTranslation();
  const { classId = '' } = useParams();
  const { data: item, error } = useGetClassQuery({ classId });
  const [patch] = usePatchClassMutation();
  const score = item?.score ?? 'sortino';
  const { data: board } = useGetLeaderboardQuery({ classId, score }, { skip: !item, pollingInterval: 10000 });
  // The header's market date is the class's market here, not the teacher's own account's.
  useShowMarket(item && { scenarioId: item.scenario_id, name: item.name });
  if (error) return <Page title={t('classes.title')}><ProblemAlert error={error} /></Page>;
  if (!item) return null;
  return (
    <Page title={item.name} actions={<span className="font-mono">{t('classes.codeIs', { code: item.join_code })}</span>}>
      <Clock classId={classId} scenarioId={item.scenario_id} />
      <Card title={t('classes.leaderboard')}>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <ScorePicker score={score} onChange={(next) => void patch({ classId, classPatchIn: { score: next } })} />
          <CsvDownload classId={classId} score={score} />
        </div>
        <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">{t('classes.leaderboardHelp')}</p>
        {board && board.standings.length > 0 ? <LeaderboardTable board={board} /> : <p>{t('classes.noStandings')}</p>}
      </Card>
      <Students classId={classId} />
      <Roster classId={classId} />
    </Page>
  );
}
