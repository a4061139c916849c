import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useListFeedbackQuery, useTriageFeedbackMutation, type FeedbackOut } from '../../api/generated';
import { useMe } from '../../app/session';
import { marketTime } from '../../components/format';
import { Card, EmptyState, Field, inputClass, Loading, Page, ProblemAlert, secondaryButtonClass, TextLink } from '../../components/ui';

type Status = FeedbackOut['status'];
const STATUSES: Status[] = ['new', 'triaged', 'done'];

function FeedbackItem({ item }: { item: FeedbackOut }) {
  const { t } = useTranslation();
  const [triage, state] = useTriageFeedbackMutation();
  const [note, setNote] = useState(item.note);
  const flagsOn = Object.entries(item.flags).filter(([, value]) => value === true).map(([key]) => key);
  return (
    <li>
      <Card>
        <p className="whitespace-pre-wrap">{item.text}</p>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700 dark:text-slate-300">
          <dt>{t('feedbackAdmin.from')}</dt><dd>{item.user_name} ({item.user_email}) · {t(`flags.cohorts.${item.cohort}`, { defaultValue: item.cohort })}</dd>
          <dt>{t('feedbackAdmin.page')}</dt><dd><code>{item.page}</code></dd>
          <dt>{t('feedbackAdmin.when')}</dt><dd>{marketTime(item.recorded_at)}{item.market_time ? ` · ${t('clock.marketDate')}: ${marketTime(item.market_time, false)}` : ''}</dd>
          <dt>{t('feedbackAdmin.flags')}</dt><dd>{flagsOn.length > 0 ? flagsOn.join(', ') : t('feedbackAdmin.noFlags')}</dd>
          <dt>{t('feedbackAdmin.state')}</dt><dd>{item.has_app_state ? t('feedbackAdmin.attached') : t('feedbackAdmin.notAttached')}</dd>
        </dl>
        <div className="mt-3 flex flex-wrap items-end gap-3">
          <Field label={t('feedbackAdmin.status')} htmlFor={`status-${item.id}`}>
            <select id={`status-${item.id}`} className={inputClass} value={item.status} onChange={(e) => void triage({ feedbackId: item.id, feedbackPatchIn: { status: e.target.value as Status } })}>
              {STATUSES.map((status) => <option key={status} value={status}>{t(`feedbackAdmin.statuses.${status}`)}</option>)}
            </select>
          </Field>
          <Field label={t('feedbackAdmin.note')} htmlFor={`note-${item.id}`}>
            <input id={`note-${item.id}`} className={inputClass} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <button type="button" className={secondaryButtonClass} disabled={state.isLoading} onClick={() => void triage({ feedbackId: item.id, feedbackPatchIn: { note } })}>
            {t('feedbackAdmin.saveNote')}
          </button>
        </div>
        <ProblemAlert error={state.error} />
      </Card>
    </li>
  );
}

export default function AdminFeedbackPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const isAdmin = me?.role === 'admin';
  const [status, setStatus] = useState<Status | ''>('new');
  const { data, isLoading, error } = useListFeedbackQuery({ status: status || undefined }, { skip: !isAdmin, pollingInterval: 30_000 });
  if (me && !isAdmin) {
    return <Page title={t('feedbackAdmin.title')}><EmptyState title={t('admin.onlyAdmins')}>{t('admin.onlyAdminsBody')}</EmptyState></Page>;
  }
  return (
    <Page title={t('feedbackAdmin.title')} actions={<TextLink to="/admin">{t('nav.admin')}</TextLink>}>
      <Field label={t('feedbackAdmin.show')} htmlFor="feedback-filter">
        <select id="feedback-filter" className={`${inputClass} max-w-xs`} value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
          <option value="">{t('feedbackAdmin.all', { count: Object.values(data?.counts ?? {}).reduce((a, b) => a + b, 0) })}</option>
          {STATUSES.map((each) => <option key={each} value={each}>{t(`feedbackAdmin.statuses.${each}`)} ({data?.counts[each] ?? 0})</option>)}
        </select>
      </Field>
      {isLoading && <Loading />}
      <ProblemAlert error={error} />
      {data && data.items.length === 0 && <EmptyState title={t('feedbackAdmin.emptyTitle')}>{t('feedbackAdmin.emptyBody')}</EmptyState>}
      {data && data.items.length > 0 && <ul className="space-y-3">{data.items.map((item) => <FeedbackItem key={item.id} item={item} />)}</ul>}
    </Page>
  );
}
