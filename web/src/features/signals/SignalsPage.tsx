import { useTranslation } from 'react-i18next';

import { useListSignalsQuery } from '../../api/generated';
import { useScenarioId } from '../../app/session';
import { Card, EmptyState, Loading, Page, ProblemAlert, Table, td, TextLink, th } from '../../components/ui';
import { useFlag } from '../flags/useFlag';

/** The hybrid model's latest signal per symbol: a beta feature behind the `model-signals` flag. */
export default function SignalsPage() {
  const { t } = useTranslation();
  const enabled = useFlag('model-signals');
  const scenario = useScenarioId();
  const { data: signals, isLoading, error } = useListSignalsQuery({ scenario }, { skip: !enabled });
  if (!enabled) {
    return <Page title={t('signals.title')}><EmptyState title={t('signals.betaTitle')}>{t('signals.betaBody')}</EmptyState></Page>;
  }
  return (
    <Page title={t('signals.title')}>
      <p className="text-slate-700 dark:text-slate-300">
        {t('signals.intro')} <TextLink to="/learn/model-scorecards">{t('signals.scorecardLesson')}</TextLink>
      </p>
      {isLoading && <Loading />}
      <ProblemAlert error={error} />
      {signals && signals.length === 0 && <EmptyState title={t('signals.noneTitle')}>{t('signals.noneBody')}</EmptyState>}
      {signals && signals.length > 0 && (
        <Card>
          <Table caption={t('signals.title')}>
            <thead>
              <tr>
                <th className={th}>{t('common.symbol')}</th>
                <th className={th}>{t('signals.direction')}</th>
                <th className={th}>{t('signals.probabilityUp')}</th>
                <th className={th}>{t('signals.regime')}</th>
                <th className={th}>{t('signals.asOf')}</th>
                <th className={th}>{t('signals.note')}</th>
              </tr>
            </thead>
            <tbody>
              {signals.map((signal) => (
                <tr key={signal.symbol}>
                  <td className={td}>{signal.symbol}</td>
                  <td className={td}>{t(`signals.${signal.direction === 'up' ? 'up' : 'down'}`)}</td>
                  <td className={td}>{(signal.probability_up * 100).toFixed(1)} %</td>
                  <td className={td}>{signal.regime}</td>
                  <td className={td}>{signal.as_of}</td>
                  <td className={td}>{signal.note}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </Page>
  );
}
