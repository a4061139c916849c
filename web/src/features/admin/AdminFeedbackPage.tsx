import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useListFeedbackQuery, useTriageFeedbackMutation } from '../../api/generated';
import { useMe } from '../../app/session';
import { EmptyState, Loading, Page, ProblemAlert, TextLink } from '../../components/ui';
import { FeedbackItem, StatusFilter, type FeedbackStatus } from '../feedback/FeedbackTriage';

export default function AdminFeedbackPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const isAdmin = me?.role === 'admin';
  const [status, setStatus] = useState<FeedbackStatus | ''>('new');
  const { data, isLoading, error } = useListFeedbackQuery({ status: status || undefined }, { skip: !isAdmin, pollingInterval: 30_000 });
  if (me && !isAdmin) {
    return <Page title={t('feedbackAdmin.title')}><EmptyState title={t('admin.onlyAdmins')}>{t('admin.onlyAdminsBody')}</EmptyState></Page>;
  }
  return (
    <Page title={t('feedbackAdmin.title')} actions={<TextLink to="/admin">{t('nav.admin')}</TextLink>}>
      <StatusFilter id="feedback-filter" status={status} counts={data?.counts} onChange={setStatus} />
      {isLoading && <Loading />}
      <ProblemAlert error={error} />
      {data && data.items.length === 0 && <EmptyState title={t('feedbackAdmin.emptyTitle')}>{t('feedbackAdmin.emptyBody')}</EmptyState>}
      {data && data.items.length > 0 && <ul className="space-y-3">{data.items.map((item) => <FeedbackItem key={item.id} item={item} useTriage={useTriageFeedbackMutation} />)}</ul>}
    </Page>
  );
}
