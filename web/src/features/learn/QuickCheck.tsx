import { useTranslation } from 'react-i18next';

import { useLessonCheckQuery } from '../../api/generated';
import { Card } from '../../components/ui';
import Quiz from './Quiz';

/** The teachable moment: the first time a learner meets a refusal of a kind, two questions on
 * the lesson that explains it, right where it happened. */
export default function QuickCheck({ code }: { code: string }) {
  const { t } = useTranslation();
  const { data: check } = useLessonCheckQuery({ code });
  if (!check?.offered || !check.lesson || check.questions.length === 0) return null;
  const slug = check.lesson.split('/').pop() ?? '';
  return (
    <Card title={t('learn.quickCheck')}>
      <p className="mb-3 text-slate-700 dark:text-slate-300">{t('learn.quickCheckHelp')}</p>
      <Quiz lesson={slug} questions={check.questions} />
    </Card>
  );
}
