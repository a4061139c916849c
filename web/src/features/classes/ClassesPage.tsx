import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useCreateClassMutation, useJoinClassMutation, useListClassesQuery, type ClassOut } from '../../api/generated';
import { useShowMarket } from '../../app/pageMarket';
import { useMe } from '../../app/session';
import { buttonClass, Card, EmptyState, Field, inputClass, Page, ProblemAlert, Table, td, TextLink, th } from '../../components/ui';
import ClassBoard from './ClassBoard';
import ClassFeedback from './ClassFeedback';
import { ScorePicker, type ScoreName } from './Leaderboard';

function CreateClass() {
  const { t } = useTranslation();
  const [create, state] = useCreateClassMutation();
  const [form, setForm] = useState({ name: '', start_date: '2008-09-02', starting_cash: '10000', seconds_per_day: '30', max_position: '50' });
  const [score, setScore] = useState<ScoreName>('sortino');
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const fraction = form.max_position === '' ? null : (Number(form.max_position) / 100).toFixed(4);
    void create({
      classIn: {
        name: form.name,
        score,
        scenario: {
          name: form.name,
          start_date: form.start_date,
          starting_cash: form.starting_cash,
          seconds_per_day: Number(form.seconds_per_day),
          max_position_fraction: fraction,
          paused: true,
        },
      },
    });
  };
  return (
    <Card title={t('classes.create')}>
      <form className="grid gap-3 sm:grid-cols-2" onSubmit={submit}>
        <Field label={t('classes.name')} htmlFor="class-name"><input id="class-name" className={inputClass} required value={form.name} onChange={set('name')} /></Field>
        <Field label={t('classes.startDate')} htmlFor="class-start"><input id="class-start" type="date" className={inputClass} required value={form.start_date} onChange={set('start_date')} /></Field>
        <Field label={t('classes.startingCash')} htmlFor="class-cash"><input id="class-cash" inputMode="decimal" className={inputClass} required value={form.starting_cash} onChange={set('starting_cash')} /></Field>
        <Field label={t('classes.secondsPerDay')} htmlFor="class-speed"><input id="class-speed" inputMode="decimal" className={inputClass} required value={form.seconds_per_day} onChange={set('seconds_per_day')} /></Field>
        <Field label={t('classes.maxPosition')} htmlFor="class-max" hint={t('classes.maxPositionHint')}><input id="class-max" inputMode="decimal" className={inputClass} value={form.max_position} onChange={set('max_position')} aria-describedby="class-max-hint" /></Field>
        <ScorePicker score={score} onChange={setScore} />
        <div className="sm:col-span-2"><button className={buttonClass} disabled={state.isLoading}>{t('classes.createButton')}</button></div>
      </form>
      <ProblemAlert error={state.error} />
      {state.data && <p role="status" className="mt-3">{t('classes.created', { code: state.data.join_code })}</p>}
    </Card>
  );
}

function TeacherClasses({ classes }: { classes: ClassOut[] }) {
  const { t } = useTranslation();
  if (classes.length === 0) return <EmptyState title={t('classes.noneTitle')}>{t('classes.noneBody')}</EmptyState>;
  return (
    <Card title={t('classes.yours')}>
      <Table caption={t('classes.yours')}>
        <thead><tr><th className={th} scope="col">{t('classes.name')}</th><th className={th} scope="col">{t('classes.code')}</th><th className={th} scope="col">{t('classes.students')}</th></tr></thead>
        <tbody>
          {classes.map((item) => (
            <tr key={item.id}>
              <th className={td} scope="row"><TextLink to={`/classes/${item.id}`}>{item.name}</TextLink></th>
              <td className={`${td} font-mono`}>{item.join_code}</td>
              <td className={td}>{item.student_count}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

function JoinClass() {
  const { t } = useTranslation();
  const [join, state] = useJoinClassMutation();
  const [code, setCode] = useState('');
  return (
    <Card title={t('classes.join')}>
      <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); void join({ joinIn: { code } }); }}>
        <Field label={t('classes.joinCode')} htmlFor="join-code"><input id="join-code" className={`${inputClass} font-mono uppercase`} required minLength={4} maxLength={16} value={code} onChange={(e) => setCode(e.target.value)} /></Field>
        <button className={buttonClass} disabled={state.isLoading}>{t('classes.joinButton')}</button>
      </form>
      <ProblemAlert error={state.error} />
      {state.data && <p role="status" className="mt-3">{t('classes.joined', { name: state.data.name })}</p>}
    </Card>
  );
}

export default function ClassesPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { data: classes = [], isLoading } = useListClassesQuery();
  const teaches = me?.role === 'teacher' || me?.role === 'admin';
  // A student in one class reads its board here: the header's market date is the class's market.
  const only = me && !teaches && classes.length === 1 ? classes[0] : undefined;
  useShowMarket(only && { scenarioId: only.scenario_id, name: only.name });
  if (!me || isLoading) return null;
  return (
    <Page title={teaches ? t('classes.title') : t('classes.myClasses')}>
      {teaches ? (
        <>
          <TeacherClasses classes={classes} />
          {classes.length > 0 && <ClassFeedback classes={classes} />}
          <CreateClass />
        </>
      ) : (
        <>
          {classes.length === 0 ? <EmptyState title={t('classes.notJoinedTitle')}>{t('classes.notJoinedBody')}</EmptyState> : (
            <>
              <Card title={t('classes.myClasses')}>
                <ul className="list-disc pl-5">{classes.map((item) => <li key={item.id}>{t('classes.joinedLine', { name: item.name, teacher: item.teacher_name })}</li>)}</ul>
              </Card>
              {classes.map((item) => <ClassBoard key={item.id} item={item} you={me.id} />)}
            </>
          )}
          <JoinClass />
        </>
      )}
    </Page>
  );
}
