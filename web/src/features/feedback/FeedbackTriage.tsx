import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useTriageClassFeedbackMutation, useTriageFeedbackMutation, type FeedbackOut, type FeedbackListOut } from '../../api/generated';
import { marketTime } from '../../components/format';
import { Card, Field, inputClass, ProblemAlert, secondaryButtonClass } from '../../components/ui';

export type FeedbackStatus = FeedbackOut['status'];
export const FEEDBACK_STATUSES: FeedbackStatus[] = ['new', 'triaged', 'done'];

/** The triage mutation of the list shown: an admin's (all feedback) or a teacher's (their classes'). */
type UseTriage = typeof useTriageFeedbackMutation | typeof useTriageClassFeedbackMutation;

/** One feedback with who sent it, from which page, with which flags on, and its triage (status
 * and note), the same for admins and teachers. */
export function FeedbackItem({ item, useTriage }: { item: FeedbackOut; useTriage: UseTriage }) {
  const { t } = useTranslation();
  const [triage, state] = useTriage();
  const [note, setNote] = useState(item.note);
  const flagsOn = Object.entries(item.flags).filter(([, value]) => value === true).map(([key]) => key);
  return (
    <li>
      <Card>
        <p className="whitespace-pre-wrap">{item.text}</p>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700 dark:text-slate-300">
          <dt>{t('feedbackAdmin.from')}</dt><dd className="break-words">{item.user_name} ({item.user_email}) · {t(`flags.cohorts.${item.cohort}`, { defaultValue: item.cohort })}</dd>
          <dt>{t('feedbackAdmin.page')}</dt><dd className="break-all"><code>{item.page}</code></dd>
          <dt>{t('feedbackAdmin.when')}</dt><dd>{marketTime(item.recorded_at)}{item.market_time ? ` · ${t('clock.marketDate')}: ${marketTime(item.market_time, false)}` : ''}</dd>
          <dt>{t('feedbackAdmin.flags')}</dt><dd>{flagsOn.length > 0 ? flagsOn.join(', ') : t('feedbackAdmin.noFlags')}</dd>
          <dt>{t('feedbackAdmin.state')}</dt><dd>{item.has_app_state ? t('feedbackAdmin.attached') : t('feedbackAdmin.notAttached')}</dd>
        </dl>
        <div className="mt-3 flex flex-wrap items-end gap-3">
          <Field label={t('feedbackAdmin.status')} htmlFor={`status-${item.id}`}>
            <select id={`status-${item.id}`} className={inputClass} value={item.status} onChange={(e) => void triage({ feedbackId: item.id, feedbackPatchIn: { status: e.target.value as FeedbackStatus } })}>
              {FEEDBACK_STATUSES.map((status) => <option key={status} value={status}>{t(`feedbackAdmin.statuses.${status}`)}</option>)}
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

/** Which status to show, with how many there are of each. */
export function StatusFilter({ id, status, counts, onChange }: { id: string; status: FeedbackStatus | ''; counts: FeedbackListOut['counts'] | undefined; onChange: (status: FeedbackStatus | '') => void }) {
  const { t } = useTranslation();
  return (
    <Field label={t('feedbackAdmin.show')} htmlFor={id}>
      <select id={id} className={`${inputClass} max-w-xs`} value={status} onChange={(e) => onChange(e.target.value as FeedbackStatus | '')}>
        <option value="">{t('feedbackAdmin.all', { count: Object.values(counts ?? {}).reduce((a, b) => a + b, 0) })}</option>
        {FEEDBACK_STATUSES.map((each) => <option key={each} value={each}>{t(`feedbackAdmin.statuses.${each}`)} ({counts?.[each] ?? 0})</option>)}
      </select>
    </Field>
  );
}
