import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useChangeUserMutation, useGetUserQuery, useListUsersQuery, useSetCohortMutation, type AdminUserOut, type Cohort, type Role } from '../../api/generated';
import { money } from '../../components/format';
import NewTeacher from './NewTeacher';
import { Card, EmptyState, Field, inputClass, Loading, ProblemAlert, secondaryButtonClass, Table, td, th } from '../../components/ui';
import { COHORTS } from '../flags/cohorts';

const PAGE = 20;
const ROLES: Role[] = ['learner', 'guardian', 'teacher', 'admin'];

function UserDetail({ user, onClose }: { user: AdminUserOut; onClose: () => void }) {
  const { t } = useTranslation();
  const { data } = useGetUserQuery({ userId: user.id });
  const [change, state] = useChangeUserMutation();
  // The one cohort route (PUT /admin/cohorts, audited), as the feature flags page uses it.
  const [setCohort, cohortState] = useSetCohortMutation();
  return (
    <section aria-labelledby="user-detail" className="mt-4 rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <h3 id="user-detail" className="font-semibold">{user.display_name} · {user.email}</h3>
      {!data ? <Loading /> : (
        <div className="mt-2 space-y-2 text-sm">
          <p>{data.paper_accounts.length === 0 ? t('admin.noAccounts') : t('admin.accountsOf', { count: data.paper_accounts.length })}</p>
          {data.paper_accounts.length > 0 && (
            <ul className="list-disc pl-5">
              {data.paper_accounts.map((account) => (
                <li key={account.id}>{t('admin.accountLine', { name: account.name, cash: money(account.cash), start: money(account.starting_cash) })}</li>
              ))}
            </ul>
          )}
          {data.guardians.length > 0 && <p>{t('admin.guardiansOf', { names: data.guardians.map((g) => g.display_name).join(', ') })}</p>}
          {data.minors.length > 0 && <p>{t('admin.minorsOf', { names: data.minors.map((m) => m.display_name).join(', ') })}</p>}
          <Field label={t('admin.cohort')} htmlFor="user-cohort">
            <select
              id="user-cohort"
              className={inputClass}
              aria-describedby="user-cohort-help"
              value={data.cohort}
              disabled={cohortState.isLoading}
              onChange={(e) => void setCohort({ cohortIn: { email: data.email, cohort: e.target.value as Cohort } })}
            >
              {COHORTS.map((cohort) => <option key={cohort} value={cohort}>{t(`flags.cohorts.${cohort}`)}</option>)}
            </select>
          </Field>
          <p id="user-cohort-help" className="text-slate-600 dark:text-slate-300">{t('admin.cohortHelp')}</p>
          {cohortState.data && (
            <p role="status">{t('flags.moved', { email: cohortState.data.email, cohort: t(`flags.cohorts.${cohortState.data.cohort}`) })}</p>
          )}
          <ProblemAlert error={cohortState.error} />
          <div className="flex flex-wrap gap-3 pt-1">
            <button type="button" className={secondaryButtonClass} disabled={state.isLoading} onClick={() => void change({ userId: user.id, userChangeIn: { active: !data.active } })}>
              {data.active ? t('admin.switchOff') : t('admin.switchOn')}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={onClose}>{t('admin.close')}</button>
          </div>
          <p className="text-slate-600 dark:text-slate-300">{data.active ? t('admin.switchOffHelp') : t('admin.switchedOff')}</p>
          <ProblemAlert error={state.error} />
        </div>
      )}
    </section>
  );
}

export function UsersCard() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [offset, setOffset] = useState(0);
  const [chosen, setChosen] = useState<AdminUserOut | null>(null);
  const { data, error, isFetching } = useListUsersQuery({ q: search.trim() || undefined, role: role || undefined, limit: PAGE, offset });
  const users = data?.items ?? [];
  const total = data?.total ?? 0;
  return (
    <Card title={t('admin.users')}>
      <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">{t('admin.usersHelp')}</p>
      <div className="mb-3 grid gap-3 sm:grid-cols-2">
        <Field label={t('admin.searchUsers')} htmlFor="user-search">
          <input id="user-search" type="search" className={inputClass} value={search} onChange={(e) => { setSearch(e.target.value); setOffset(0); }} />
        </Field>
        <Field label={t('admin.role')} htmlFor="user-role">
          <select id="user-role" className={inputClass} value={role} onChange={(e) => { setRole(e.target.value as Role | ''); setOffset(0); }}>
            <option value="">{t('admin.everyRole')}</option>
            {ROLES.map((name) => <option key={name} value={name}>{t(`admin.roles.${name}`)}</option>)}
          </select>
        </Field>
      </div>
      <ProblemAlert error={error} />
      {data && users.length === 0 ? (
        <EmptyState title={t('admin.noUsers')}>{t('admin.noUsersBody')}</EmptyState>
      ) : (
        <Table caption={t('admin.users')}>
          <thead>
            <tr>
              <th className={th} scope="col">{t('admin.name')}</th>
              <th className={th} scope="col">{t('admin.role')}</th>
              <th className={th} scope="col">{t('admin.cohort')}</th>
              <th className={th} scope="col">{t('admin.twoFactor')}</th>
              <th className={th} scope="col">{t('admin.accounts')}</th>
              <th className={th} scope="col">{t('admin.signIn')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td className={td}>
                  <button type="button" className="text-left font-medium text-teal-800 underline dark:text-teal-300" onClick={() => setChosen(user)}>
                    {user.display_name}
                  </button>
                  <div className="text-slate-600 dark:text-slate-300">{user.email}</div>
                </td>
                <td className={td}>{t(`admin.roles.${user.role}`, { defaultValue: user.role })}{user.minor ? ` · ${t('admin.minor')}` : ''}</td>
                <td className={td}>{t(`flags.cohorts.${user.cohort}`)}</td>
                <td className={td}>{user.two_factor ? t('admin.yes') : t('admin.no')}</td>
                <td className={td}>{user.accounts}</td>
                <td className={td}>{user.active ? t('admin.on') : t('admin.off')}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {total > PAGE && (
        <nav className="mt-3 flex items-center gap-3 text-sm" aria-label={t('admin.pages')}>
          <button type="button" className={secondaryButtonClass} disabled={offset === 0 || isFetching} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('admin.previous')}</button>
          <span>{t('admin.showing', { from: offset + 1, to: Math.min(offset + PAGE, total), total })}</span>
          <button type="button" className={secondaryButtonClass} disabled={offset + PAGE >= total || isFetching} onClick={() => setOffset(offset + PAGE)}>{t('admin.next')}</button>
        </nav>
      )}
      {chosen && <UserDetail key={chosen.id} user={chosen} onClose={() => setChosen(null)} />}
      <div className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-700"><NewTeacher /></div>
    </Card>
  );
}
