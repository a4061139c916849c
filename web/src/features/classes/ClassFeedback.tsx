import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useListClassFeedbackQuery, useTriageClassFeedbackMutation, type ClassOut } from '../../api/generated';
import { Card, EmptyState, Field, inputClass, Loading, ProblemAlert } from '../../components/ui';
import { FeedbackItem, StatusFilter, type FeedbackStatus } from '../feedback/FeedbackTriage';

/** The teacher's triage list: what the students of their classes sent (while in the class) and
 * what they sent themselves, by class and status, with the admin's triage actions. */
export default function ClassFeedback({ classes }: { classes: ClassOut[] }) {
  const { t } = useTranslation();
  const [classId, setClassId] = useState('');
  const [status, setStatus] = useState<FeedbackStatus | ''>('new');
  const { data, isLoading, error } = useListClassFeedbackQuery(
    { classId: classId || undefined, status: status || undefined },
    { pollingInterval: 30_000 },
  );
  return (
    <Card title={t('classes.feedback')}>
      <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">{t('classes.feedbackHelp')}</p>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <Field label={t('classes.feedbackClass')} htmlFor="class-feedback-class">
          <select id="class-feedback-class" className={`${inputClass} max-w-xs`} value={classId} onChange={(e) => setClassId(e.target.value)}>
            <option value="">{t('classes.feedbackAllClasses')}</option>
            {classes.map((item) => <option key={item.id} value={item.id}>{item.name}</option>)}
          </select>
        </Field>
        <StatusFilter id="class-feedback-status" status={status} counts={data?.counts} onChange={setStatus} />
      </div>
      {isLoading && <Loading />}
      <ProblemAlert error={error} />
      {data && data.items.length === 0 && (
        // Feedback there is, none with this status: say so; none at all: say how it arrives.
        Object.keys(data.counts).length > 0
          ? <EmptyState title={t('classes.feedbackNoneHereTitle')}>{t('classes.feedbackNoneHereBody')}</EmptyState>
          : <EmptyState title={t('classes.feedbackEmptyTitle')}>{t('classes.feedbackEmptyBody')}</EmptyState>
      )}
      {data && data.items.length > 0 && <ul className="space-y-3">{data.items.map((item) => <FeedbackItem key={item.id} item={item} useTriage={useTriageClassFeedbackMutation} />)}</ul>}
    </Card>
  );
}
