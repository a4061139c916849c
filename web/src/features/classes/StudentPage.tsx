import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

import { useGetClassQuery, useGetStudentQuery } from '../../api/generated';
import { useShowMarket } from '../../app/pageMarket';
import { marketTime, money, quantity } from '../../components/format';
import { Card, Page, ProblemAlert, Table, td, TextLink, th } from '../../components/ui';

/** What the student sees of their class account, read-only for their teacher: no order form. */
export default function StudentPage() {
  const { t } = useTranslation();
  const { classId = '', userId = '' } = useParams();
  const { data, error } = useGetStudentQuery({ classId, userId });
  const { data: item } = useGetClassQuery({ classId });
  useShowMarket(item && { scenarioId: item.scenario_id, name: item.name }); // the class's market, in the header
  if (error) return <Page title={t('classes.studentView')}><ProblemAlert error={error} /></Page>;
  if (!data) return null;
  const { student, account, orders, progress } = data;
  return (
    <Page title={t('classes.studentViewOf', { name: student.name })} actions={<TextLink to={`/classes/${classId}`}>{t('classes.backToClass')}</TextLink>}>
      <p role="note" className="rounded bg-slate-100 p-2 text-sm dark:bg-slate-800">{t('classes.readOnly')}</p>
      <Card title={t('classes.portfolio')}>
        <p className="text-lg font-semibold">{money(account.equity)} <span className="text-sm font-normal">({t('dashboard.cash')} {money(account.cash)})</span></p>
        <ul className="mt-2 text-sm">{account.positions.map((p) => <li key={p.symbol}>{p.symbol}: {quantity(p.quantity)} · {money(p.market_value)}</li>)}</ul>
      </Card>
      <Card title={t('nav.orders')}>
        <Table caption={t('nav.orders')}>
          <thead><tr><th className={th} scope="col">{t('classes.when')}</th><th className={th} scope="col">{t('common.symbol')}</th><th className={th} scope="col">{t('classes.side')}</th><th className={th} scope="col">{t('classes.status')}</th></tr></thead>
          <tbody>{orders.map((o) => <tr key={o.id}><td className={td}>{marketTime(o.created_at)}</td><td className={td}>{o.symbol}</td><td className={td}>{t(`side.${o.side}`)}</td><td className={td}>{o.status}</td></tr>)}</tbody>
        </Table>
      </Card>
      <Card title={t('classes.lessons')}>
        <ul className="text-sm">{progress.skills.map((s) => <li key={s.skill}>{s.skill}: {t(`learn.level.${s.level}`)}</li>)}</ul>
      </Card>
    </Page>
  );
}
