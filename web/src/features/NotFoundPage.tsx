import { useTranslation } from 'react-i18next';

import { EmptyState, Page, TextLink } from '../components/ui';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <EmptyState title={t('notFound.title')} action={<TextLink to="/">{t('notFound.home')}</TextLink>}>
        {t('notFound.body')}
      </EmptyState>
    </Page>
  );
}
