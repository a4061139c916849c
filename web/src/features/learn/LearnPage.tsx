import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useLessonProgressQuery, useListLessonsQuery } from '../../api/generated';
import { useScenarioId } from '../../app/session';
import { Card, Loading, Page, TextLink } from '../../components/ui';
import Mastery from './Mastery';

export default function LearnPage() {
  const { t } = useTranslation();
  const scenario = useScenarioId();
  const { data: lessons = [], isLoading } = useListLessonsQuery();
  const { data: progress } = useLessonProgressQuery({ scenario });
  return (
    <Page title={t('learn.title')} actions={<TextLink to="/learn/glossary">{t('learn.glossary')}</TextLink>}>
      <p className="max-w-prose text-slate-700 dark:text-slate-300">{t('learn.intro')}</p>
      {progress && progress.reviews_due > 0 && (
        <p role="status" className="rounded-lg bg-sky-50 p-3 text-sky-950 dark:bg-sky-950 dark:text-sky-50">{t('learn.reviewsDue', { count: progress.reviews_due })}</p>
      )}
      {isLoading ? <Loading /> : (
        <ol className="grid gap-4 sm:grid-cols-2">
          {lessons.map((lesson) => (
            <li key={lesson.slug}>
              <Card className="h-full">
                <h2 className="text-lg font-semibold">
                  <Link className="underline-offset-2 hover:underline" to={`/learn/${lesson.slug}`}>{lesson.position}. {lesson.title}</Link>
                </h2>
                <p className="mt-1 text-slate-700 dark:text-slate-300">{lesson.summary}</p>
                <p className="mt-2"><Mastery mastery={lesson.mastery} /></p>
              </Card>
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
