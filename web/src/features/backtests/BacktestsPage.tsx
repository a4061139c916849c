import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { useListBacktestsQuery, useListDatasetsQuery, useListStrategiesQuery, useSubmitBacktestMutation } from '../../api/generated';
import { percent } from '../../components/format';
import { buttonClass, Card, EmptyState, Field, inputClass, Loading, Page, ProblemAlert, Table, td, th } from '../../components/ui';
import Datasets from './Datasets';

const SYMBOLS = ['SPX', 'IXIC', 'GOOG', 'EURUSD'];
/** The History choice of an uploaded file: `file:<name>`. */
const FILE = 'file:';

export function Progress({ value, label }: { value: number; label: string }) {
  return (
    <div className="flex items-center gap-2">
      <progress className="h-2 w-28 accent-teal-700" max={1} value={value} aria-label={label} />
      <span className="tabular-nums text-xs">{Math.round(value * 100)} %</span>
    </div>
  );
}

export default function BacktestsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: strategies = [] } = useListStrategiesQuery();
  const { data: datasets = [] } = useListDatasetsQuery();
  const { data: runs = [], isLoading } = useListBacktestsQuery({}, { pollingInterval: 3_000 });
  const [submit, state] = useSubmitBacktestMutation();
  const [form, setForm] = useState({ strategy: '', symbol: 'SPX', from: '2005-01-01', to: '2012-12-31', cash: '10000' });
  const [params, setParams] = useState<Record<string, number>>({});
  const strategy = strategies.find((each) => each.name === form.strategy);
  useEffect(() => {
    if (!form.strategy && strategies[0]) setForm((current) => ({ ...current, strategy: strategies[0]!.name }));
  }, [strategies, form.strategy]);
  useEffect(() => {
    setParams(Object.fromEntries((strategy?.params ?? []).map((param) => [param.name, param.default])));
  }, [strategy]);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    // An uploaded file is tested from its first row to its last unless dates are given.
    const history = form.symbol.startsWith(FILE) ? { dataset: form.symbol.slice(FILE.length), symbol: null } : { symbol: form.symbol };
    const job = await submit({ backtestIn: { strategy: form.strategy, ...history, from: form.from || null, to: form.to || null, cash: form.cash, params } }).unwrap().catch(() => null);
    if (job) navigate(`/backtests/${job.id}`);
  };

  return (
    <Page title={t('backtests.title')}>
      <p className="max-w-prose text-slate-700 dark:text-slate-300">{t('backtests.intro')}</p>
      <Card title={t('backtests.new')}>
        <form onSubmit={run} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field label={t('backtests.strategy')} htmlFor="strategy" hint={strategy?.description}>
            <select id="strategy" className={inputClass} value={form.strategy} onChange={(e) => setForm({ ...form, strategy: e.target.value })} aria-describedby="strategy-hint">
              {strategies.map((each) => <option key={each.name} value={each.name}>{each.name}</option>)}
            </select>
          </Field>
          <Field label={t('backtests.history')} htmlFor="bt-symbol">
            <select id="bt-symbol" className={inputClass} value={form.symbol}
              onChange={(e) => setForm({ ...form, symbol: e.target.value, ...(e.target.value.startsWith(FILE) ? { from: '', to: '' } : {}) })}>
              <optgroup label={t('backtests.bundled')}>
                {SYMBOLS.map((symbol) => <option key={symbol}>{symbol}</option>)}
              </optgroup>
              {datasets.length > 0 && (
                <optgroup label={t('backtests.yourFiles')}>
                  {datasets.map((dataset) => <option key={dataset.name} value={`${FILE}${dataset.name}`}>{dataset.name}</option>)}
                </optgroup>
              )}
            </select>
          </Field>
          <Field label={t('backtests.cash')} htmlFor="bt-cash">
            <input id="bt-cash" className={inputClass} inputMode="decimal" value={form.cash} onChange={(e) => setForm({ ...form, cash: e.target.value })} />
          </Field>
          <Field label={t('backtests.from')} htmlFor="bt-from" hint={form.symbol.startsWith(FILE) ? t('backtests.wholeFile') : undefined}>
            <input id="bt-from" type="date" className={inputClass} aria-describedby={form.symbol.startsWith(FILE) ? 'bt-from-hint' : undefined} value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
          </Field>
          <Field label={t('backtests.to')} htmlFor="bt-to">
            <input id="bt-to" type="date" className={inputClass} value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
          </Field>
          {(strategy?.params ?? []).map((param) => (
            <Field key={param.name} label={param.name} htmlFor={`param-${param.name}`} hint={param.help}>
              <input id={`param-${param.name}`} type="number" className={inputClass} step={param.type === 'int' ? 1 : 'any'} min={param.low ?? undefined} max={param.high ?? undefined} value={params[param.name] ?? param.default} onChange={(e) => setParams({ ...params, [param.name]: Number(e.target.value) })} aria-describedby={`param-${param.name}-hint`} />
            </Field>
          ))}
          <div className="sm:col-span-2 lg:col-span-3">
            <ProblemAlert error={state.error} />
            <button className={`${buttonClass} mt-2`} disabled={state.isLoading || !form.strategy}>{t('backtests.run')}</button>
          </div>
        </form>
      </Card>
      <Datasets />
      <Card title={t('backtests.runs')}>
        {isLoading ? <Loading /> : runs.length === 0 ? (
          <EmptyState title={t('backtests.emptyTitle')}>{t('backtests.emptyBody')}</EmptyState>
        ) : (
          <Table caption={t('backtests.runs')}>
            <thead><tr><th className={th}>{t('backtests.strategy')}</th><th className={th}>{t('backtests.history')}</th><th className={th}>{t('orders.status')}</th><th className={`${th} text-right`}>{t('backtests.return')}</th><th className={th}>{t('backtests.started')}</th></tr></thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td className={td}><Link className="underline" to={`/backtests/${run.id}`}>{run.strategy}</Link></td>
                  <td className={td}>{run.symbol ?? run.dataset}</td>
                  <td className={td}>{run.status === 'running' || run.status === 'queued' ? <Progress value={run.progress} label={t('backtests.progress')} /> : t(`backtests.status.${run.status}`, run.status)}</td>
                  <td className={`${td} text-right tabular-nums`}>{run.return_pct === null ? '—' : percent(run.return_pct / 100)}</td>
                  <td className={td}>{new Date(run.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </Page>
  );
}
