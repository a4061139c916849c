import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useGetLessonQuery, type LessonOut } from '../../api/generated';
import { useScenarioId } from '../../app/session';
import { Card, LevelBadge, Loading, Page, ProblemAlert, RegimeBadge, TextLink } from '../../components/ui';
import Mastery from './Mastery';
import Quiz from './Quiz';

function LivePiece({ piece }: { piece: NonNullable<LessonOut['interactive']> }) {
  const { t } = useTranslation();
  if (piece.kind === 'spx-regime' && 'regime' in piece) {
    return (
      <Card title={t('learn.liveRegime', { symbol: piece.symbol })}>
        <p className="flex flex-wrap items-center gap-2"><RegimeBadge regime={piece.regime} /> <LevelBadge level={piece.breaker_level} /></p>
        <p className="mt-2">{piece.reason}</p>
      </Card>
    );
  }
  if (piece.kind === 'last-refusal' && 'refusal' in piece) {
    return (
      <Card title={t('learn.yourRefusal')}>
        {piece.refusal ? <p>{piece.refusal.detail}</p> : <p>{t('learn.noRefusal')}</p>}
      </Card>
    );
  }
  return null;
}

export default function LessonPage() {
  const { t } = useTranslation();
  const slug = useParams().slug ?? '';
  const scenario = useScenarioId();
  const { data: lesson, error, isLoading } = useGetLessonQuery({ slug });
  if (isLoading) return <Page title={t('learn.title')}><Loading /></Page>;
  if (!lesson) return <Page title={t('learn.title')}><ProblemAlert error={error} /></Page>;
  return (
    <Page title={lesson.title} actions={<Mastery mastery={lesson.mastery} />}>
      <p><TextLink to="/learn">{t('learn.allLessons')}</TextLink></p>
      <Card>
        {/* The lesson's own Markdown, rendered by the server from the repository's files. */}
        <article className="lesson max-w-prose space-y-3 leading-relaxed" dangerouslySetInnerHTML={{ __html: lesson.html }} />
      </Card>
      {lesson.interactive && <LivePiece piece={lesson.interactive} />}
      <Card title={t('learn.quiz')}>
        <Quiz lesson={lesson.slug} questions={lesson.quiz} scenarioId={scenario} />
      </Card>
    </Page>
  );
}
