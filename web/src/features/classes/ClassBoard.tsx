import { useTranslation } from 'react-i18next';

import { useGetStandingsQuery, type ClassOut } from '../../api/generated';
import { Card, EmptyState, Loading, ProblemAlert } from '../../components/ui';
import { LeaderboardTable } from './Leaderboard';

/** A student's view of their class's leaderboard: ranked by the score the teacher chose, raw
 * return beside it, their own row highlighted; it changes at each market day's close (the
 * `leaderboard:<class id>` channel, `live/endpoints.ts`). Classmates show with their display
 * name and figures only. */
export default function ClassBoard({ item, you }: { item: ClassOut; you: string }) {
  const { t } = useTranslation();
  const { data: board, isLoading, error } = useGetStandingsQuery({ classId: item.id });
  const started = board?.standings.some((row) => row.days > 0) ?? false;
  return (
    <Card title={t('classes.boardOf', { name: item.name })}>
      <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">
        {t('classes.boardHelp', { teacher: item.teacher_name, score: t(`classes.scores.${board?.score ?? item.score}`) })}
      </p>
      {isLoading && <Loading />}
      <ProblemAlert error={error} />
      {board && !started && (
        <EmptyState title={t('classes.boardEmptyTitle')}>{t('classes.boardEmptyBody')}</EmptyState>
      )}
      {board && started && <LeaderboardTable board={board} you={you} caption={t('classes.boardOf', { name: item.name })} />}
    </Card>
  );
}
