import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useDeleteDatasetMutation, useListDatasetsQuery, useUploadDatasetMutation } from '../../api/generated';
import { fileSize } from '../../components/format';
import { buttonClass, Card, Field, inputClass, Loading, ProblemAlert, secondaryButtonClass } from '../../components/ui';

/** The name the server accepts for a file (letters, digits and `._-`, no two dots in a row, at
 * most 100 characters before `.csv` or `.parquet`): "SPX prices (2).csv" becomes "SPX-prices-2.csv".
 * Another extension is kept, for the server to explain. */
export function datasetName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  const stem = (dot > 0 ? fileName.slice(0, dot) : fileName)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+|[.-]+$/g, '')
    .slice(0, 100);
  return `${stem || 'prices'}.${extension}`;
}

/** The learner's own price files: upload (CSV or Parquet), see, delete. A backtest or a market
 * (an admin's or a teacher's) can then replay them. */
export default function Datasets() {
  const { t } = useTranslation();
  const { data: datasets = [], isLoading } = useListDatasetsQuery();
  const [upload, uploading] = useUploadDatasetMutation();
  const [remove, removing] = useDeleteDatasetMutation();
  const [file, setFile] = useState<File | null>(null);
  const [stored, setStored] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setStored(null);
    const done = await upload({ name: datasetName(file.name), body: file }).unwrap().catch(() => null);
    if (done) {
      setStored(done.name);
      setFile(null);
      form.current?.reset();
    }
  };

  return (
    <Card title={t('backtests.files')}>
      <p className="mb-3 max-w-prose text-slate-700 dark:text-slate-300">{t('backtests.filesIntro')}</p>
      <form ref={form} onSubmit={send} className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <Field label={t('backtests.file')} htmlFor="dataset-file" hint={t('backtests.fileHint')}>
            <input id="dataset-file" type="file" accept=".csv,.parquet,text/csv" className={inputClass} aria-describedby="dataset-file-hint"
              onChange={(event) => { setFile(event.target.files?.[0] ?? null); setStored(null); }} />
          </Field>
        </div>
        <button className={buttonClass} disabled={!file || uploading.isLoading}>
          {uploading.isLoading ? t('backtests.uploading') : t('backtests.upload')}
        </button>
      </form>
      <div className="mt-2" aria-live="polite">
        <ProblemAlert error={uploading.error ?? removing.error} />
        {stored && <p role="status" className="text-teal-800 dark:text-teal-300">{t('backtests.uploaded', { name: stored })}</p>}
      </div>
      {isLoading ? <Loading /> : datasets.length === 0 ? (
        <p className="mt-3 text-slate-700 dark:text-slate-300">{t('backtests.noFiles')}</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200 dark:divide-slate-700" aria-label={t('backtests.files')}>
          {datasets.map((dataset) => (
            <li key={dataset.name} data-testid="dataset" className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
              <span className="font-medium">{dataset.name}</span>
              <span className="text-sm tabular-nums text-slate-600 dark:text-slate-300">{fileSize(dataset.size)} · {new Date(dataset.uploaded_at).toLocaleDateString()}</span>
              <button type="button" className={`${secondaryButtonClass} ml-auto`} disabled={removing.isLoading}
                onClick={() => remove({ name: dataset.name })} aria-label={t('backtests.deleteFile', { name: dataset.name })}>
                {t('backtests.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
