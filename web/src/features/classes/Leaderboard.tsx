import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LeaderboardOut } from '../../api/generated';
import { useAppSelector } from '../../app/hooks';
import { money, percent } from '../../components/format';
import { Field, inputClass, secondaryButtonClass, Table, td, th } from '../../components/ui';

export type ScoreName = LeaderboardOut['score'];
export const SCORES: ScoreName[] = ['sortino', 'sharpe', 'calmar'];

function ratio(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

/** The class's standings as the server ranked them (never re-sorted here), raw return beside
 * the chosen score, and the return while the market was HIGH and EXTREME. `you`: the reader's
 * own row, highlighted and marked "(you)" (a student's view). */
export function LeaderboardTable({ board, you, caption }: { board: LeaderboardOut; you?: string; caption?: string }) {
  const { t } = useTranslation();
  return (
    <Table caption={caption ?? t('classes.leaderboard')}>
      <thead>
        <tr>
          <th className={th} scope="col">{t('classes.rank')}</th>
          <th className={th} scope="col">{t('classes.student')}</th>
          <th className={th} scope="col">{t(`classes.scores.${board.score}`)}</th>
          <th className={th} scope="col">{t('classes.return')}</th>
          <th className={th} scope="col">{t('classes.maxDrawdown')}</th>
          <th className={th} scope="col">{t('classes.compliance')}</th>
          <th className={th} scope="col">{t('classes.mastery')}</th>
          <th className={th} scope="col">{t('classes.returnHigh')}</th>
          <th className={th} scope="col">{t('classes.returnExtreme')}</th>
          <th className={th} scope="col">{t('classes.equity')}</th>
        </tr>
      </thead>
      <tbody>
        {board.standings.map((row) => {
          const [high, extreme] = row.regimes;
          const mine = row.user_id === you;
          return (
            <tr key={row.user_id} data-testid="standing" aria-current={mine ? 'true' : undefined} className={mine ? 'bg-sky-50 font-semibold dark:bg-sky-950' : undefined}>
              <td className={td}>{row.rank}</td>
              <th className={td} scope="row">{row.name}{mine && ` ${t('classes.you')}`}</th>
              <td className={td}>{ratio(row.score)}</td>
              <td className={td}>{percent(row.total_return, 2)}</td>
              <td className={td}>{percent(-row.max_drawdown, 1)}</td>
              <td className={td}>{percent(row.breaker_compliance, 0)}</td>
              <td className={td}>{percent(row.lesson_mastery, 0)}</td>
              <td className={td}>{high?.days ? percent(high.total_return, 2) : '—'}</td>
              <td className={td}>{extreme?.days ? percent(extreme.total_return, 2) : '—'}</td>
              <td className={td}>{money(row.equity)}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function ScorePicker({ score, onChange }: { score: ScoreName; onChange: (score: ScoreName) => void }) {
  const { t } = useTranslation();
  return (
    <Field label={t('classes.rankBy')} htmlFor="score">
      <select id="score" className={inputClass} value={score} onChange={(e) => onChange(e.target.value as ScoreName)}>
        {SCORES.map((name) => <option key={name} value={name}>{t(`classes.scores.${name}`)}</option>)}
      </select>
    </Field>
  );
}

/** The CSV the server writes (the same table), fetched with the access token and saved. */
export function CsvDownload({ classId, score }: { classId: string; score: ScoreName }) {
  const { t } = useTranslation();
  const token = useAppSelector((state) => state.auth.accessToken);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setError(null);
    const response = await fetch(`/api/v1/classes/${classId}/leaderboard.csv?score=${score}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    if (!response.ok) {
      setError(t('common.failed'));
      return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = `leaderboard-${score}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <>
      <button type="button" className={secondaryButtonClass} onClick={() => void download()}>{t('classes.downloadCsv')}</button>
      {error && <p role="alert" className="text-rose-800 dark:text-rose-200">{error}</p>}
    </>
  );
}
