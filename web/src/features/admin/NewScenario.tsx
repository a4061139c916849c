import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useCreateScenarioMutation, useListDatasetsQuery, type ScenarioIn } from '../../api/generated';
import { buttonClass, Field, inputClass, linkClass, ProblemAlert } from '../../components/ui';

type Source = ScenarioIn['source'] & string;
const SOURCES: Source[] = ['replay', 'simulator', 'upload'];

const initial = {
  name: '',
  description: '',
  source: 'replay' as Source,
  start_date: '2008-09-02',
  seconds_per_day: '6',
  starting_cash: '10000',
  universe: '',
  seed: '',
  datasets: [] as string[],
  allow_short: false,
  breaker_mode: 'enforce' as 'enforce' | 'measure',
  paused: false,
};

/** A new market: where its prices come from, from which day, how fast, who may trade what. */
export default function NewScenario() {
  const { t } = useTranslation();
  const [create, state] = useCreateScenarioMutation();
  const { data: datasets = [] } = useListDatasetsQuery();
  const [form, setForm] = useState(initial);
  const [created, setCreated] = useState<string | null>(null);
  const set = <K extends keyof typeof initial>(key: K, value: (typeof initial)[K]) => setForm({ ...form, [key]: value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const universe = form.universe.split(/[\s,]+/).map((each) => each.trim().toUpperCase()).filter(Boolean);
    const body: ScenarioIn = {
      name: form.name,
      description: form.description,
      source: form.source,
      start_date: form.start_date,
      seconds_per_day: Number(form.seconds_per_day),
      starting_cash: form.starting_cash,
      universe: universe.length > 0 ? universe : null,
      seed: form.source === 'simulator' && form.seed !== '' ? Number(form.seed) : null,
      datasets: form.source === 'upload' ? form.datasets : null,
      allow_short: form.allow_short,
      breaker_mode: form.breaker_mode,
      paused: form.paused,
    };
    const answer = await create({ scenarioIn: body }).unwrap().catch(() => null);
    if (answer) {
      setCreated(answer.name);
      setForm(initial);
    }
  };

  return (
    <form className="space-y-4" onSubmit={(event) => void submit(event)}>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field label={t('admin.scenarioName')} htmlFor="sc-name"><input id="sc-name" className={inputClass} required maxLength={100} value={form.name} onChange={(e) => set('name', e.target.value)} /></Field>
        <Field label={t('admin.source')} htmlFor="sc-source" hint={t(`admin.sourceHelp.${form.source}`)}>
          <select id="sc-source" className={inputClass} value={form.source} onChange={(e) => set('source', e.target.value as Source)} aria-describedby="sc-source-hint">
            {SOURCES.map((source) => <option key={source} value={source}>{t(`admin.sources.${source}`)}</option>)}
          </select>
        </Field>
        <Field label={t('admin.startDate')} htmlFor="sc-start"><input id="sc-start" type="date" className={inputClass} required value={form.start_date} onChange={(e) => set('start_date', e.target.value)} /></Field>
        <Field label={t('admin.speed')} htmlFor="sc-speed"><input id="sc-speed" type="number" min="0.5" step="any" className={inputClass} value={form.seconds_per_day} onChange={(e) => set('seconds_per_day', e.target.value)} /></Field>
        <Field label={t('backtests.cash')} htmlFor="sc-cash"><input id="sc-cash" className={inputClass} inputMode="decimal" required value={form.starting_cash} onChange={(e) => set('starting_cash', e.target.value)} /></Field>
        {form.source === 'simulator' ? (
          <Field label={t('admin.seed')} htmlFor="sc-seed" hint={t('admin.seedHelp')}><input id="sc-seed" type="number" min="0" step="1" className={inputClass} value={form.seed} onChange={(e) => set('seed', e.target.value)} aria-describedby="sc-seed-hint" /></Field>
        ) : (
          <Field label={t('admin.universe')} htmlFor="sc-universe" hint={t('admin.universeHelp')}><input id="sc-universe" className={inputClass} value={form.universe} placeholder="SPX, GOOG" onChange={(e) => set('universe', e.target.value)} aria-describedby="sc-universe-hint" /></Field>
        )}
      </div>
      {form.source === 'upload' && (
        <fieldset>
          <legend className="text-sm font-medium">{t('admin.datasets')}</legend>
          {datasets.length === 0 ? (
            <p className="text-sm text-slate-700 dark:text-slate-300">{t('admin.noDatasets')} <Link className={linkClass} to="/backtests">{t('admin.toBacktestLab')}</Link></p>
          ) : (
            <div className="mt-1 flex flex-wrap gap-4">
              {datasets.map((dataset) => (
                <label key={dataset.name} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={form.datasets.includes(dataset.name)} onChange={(e) => set('datasets', e.target.checked ? [...form.datasets, dataset.name] : form.datasets.filter((name) => name !== dataset.name))} />
                  {dataset.name}
                </label>
              ))}
            </div>
          )}
        </fieldset>
      )}
      <Field label={t('admin.description')} htmlFor="sc-description"><input id="sc-description" className={inputClass} maxLength={500} value={form.description} onChange={(e) => set('description', e.target.value)} /></Field>
      <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.allow_short} onChange={(e) => set('allow_short', e.target.checked)} />{t('admin.allowShort')}</label>
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.breaker_mode === 'measure'} onChange={(e) => set('breaker_mode', e.target.checked ? 'measure' : 'enforce')} />{t('admin.measureOnly')}</label>
        <label className="flex items-center gap-2"><input type="checkbox" checked={form.paused} onChange={(e) => set('paused', e.target.checked)} />{t('admin.startPaused')}</label>
      </div>
      <ProblemAlert error={state.error} />
      {created && <p role="status" className="text-sm">{t('admin.created', { name: created })}</p>}
      <button className={buttonClass} disabled={state.isLoading}>{t('admin.create')}</button>
    </form>
  );
}
