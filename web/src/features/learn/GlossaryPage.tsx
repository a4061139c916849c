import { useTranslation } from 'react-i18next';

import { useListGlossaryQuery } from '../../api/generated';
import { Card, Loading, Page, TextLink } from '../../components/ui';
import { lessonRoute } from './links';

export default function GlossaryPage() {
  const { t } = useTranslation();
  const { data: entries = [], isLoading } = useListGlossaryQuery();
  return (
    <Page title={t('learn.glossary')} actions={<TextLink to="/learn">{t('learn.allLessons')}</TextLink>}>
      <Card>
        {isLoading ? <Loading /> : (
          <dl className="space-y-3">
            {entries.map((entry) => {
              const lesson = lessonRoute(entry.lesson);
              return (
                <div key={entry.slug} id={entry.slug} className="scroll-mt-20">
                  <dt className="font-semibold">{entry.term}</dt>
                  <dd className="text-slate-700 dark:text-slate-300">
                    {entry.definition} {lesson && <TextLink to={lesson}>{t('learn.theLesson')}</TextLink>}
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
      </Card>
    </Page>
  );
}
