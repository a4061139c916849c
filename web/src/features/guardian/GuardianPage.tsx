import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useCreateInvitationMutation, useListMinorsQuery, useMinorAccountQuery, useUpdateLimitsMutation, type MinorOut } from '../../api/generated';
import { useMe } from '../../app/session';
import { marketTime, money, quantity } from '../../components/format';
import { buttonClass, Card, EmptyState, Field, inputClass, Page, ProblemAlert, secondaryButtonClass } from '../../components/ui';
import AccountRequests from './AccountRequests';
import ApprovalQueue from './ApprovalQueue';

function MinorAccount({ minorId, accountId }: { minorId: string; accountId: string }) {
  const { t } = useTranslation();
  const { data: account } = useMinorAccountQuery({ minorId, accountId });
  if (!account) return null;
  return (
    <div className="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
      <p className="font-medium">{account.name}: {money(account.equity)} <span className="text-sm font-normal text-slate-600 dark:text-slate-300">({t('dashboard.cash')} {money(account.cash)})</span></p>
      {account.positions.length === 0 ? <p className="text-sm">{t('guardian.noPositions')}</p> : (
        <ul className="mt-1 text-sm">
          {account.positions.map((position) => <li key={position.symbol}>{position.symbol}: {quantity(position.quantity)} · {money(position.market_value)}</li>)}
        </ul>
      )}
    </div>
  );
}

function Minor({ minor }: { minor: MinorOut }) {
  const { t } = useTranslation();
  const [update, state] = useUpdateLimitsMutation();
  const [cap, setCap] = useState(minor.limits.max_order_notional ?? '');
  return (
    <Card title={minor.display_name}>
      <p className="text-sm text-slate-700 dark:text-slate-300">{t('guardian.linkedSince', { when: marketTime(minor.linked_at, false) })}</p>
      <div className="mt-3 grid gap-3 sm:grid-cols-2">{(minor.account_ids ?? []).map((id) => <MinorAccount key={id} minorId={minor.id} accountId={id} />)}</div>
      <form className="mt-4 flex flex-wrap items-end gap-3" onSubmit={(event) => { event.preventDefault(); void update({ minorId: minor.id, limitsIn: { max_order_notional: cap === '' ? null : cap } }); }}>
        <Field label={t('guardian.maxOrder')} htmlFor={`cap-${minor.id}`}>
          <input id={`cap-${minor.id}`} className={inputClass} inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} />
        </Field>
        <button className={secondaryButtonClass} disabled={state.isLoading}>{t('guardian.saveLimit')}</button>
        <button type="button" className={secondaryButtonClass} onClick={() => void update({ minorId: minor.id, limitsIn: { trading_paused: !minor.limits.trading_paused } })}>
          {minor.limits.trading_paused ? t('guardian.resumeTrading') : t('guardian.pauseTrading')}
        </button>
      </form>
      <ProblemAlert error={state.error} />
    </Card>
  );
}

export default function GuardianPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (me && me.role !== 'guardian') {
    return (
      <Page title={t('guardian.title')}>
        <EmptyState title={t('guardian.onlyGuardians')}>{t('guardian.onlyGuardiansBody')}</EmptyState>
      </Page>
    );
  }
  return me ? <GuardianHome /> : null;
}

function GuardianHome() {
  const { t } = useTranslation();
  const { data: minors = [] } = useListMinorsQuery();
  const [invite, inviteState] = useCreateInvitationMutation();
  return (
    <Page title={t('guardian.title')}>
      <Card title={t('guardian.queue')}>
        <ApprovalQueue />
      </Card>
      <Card title={t('guardian.accountRequests')}>
        <AccountRequests />
      </Card>
      {minors.length === 0 ? (
        <EmptyState title={t('guardian.noMinorsTitle')}>{t('guardian.noMinorsBody')}</EmptyState>
      ) : (
        minors.map((minor) => <Minor key={minor.id} minor={minor} />)
      )}
      <Card title={t('guardian.linkMinor')}>
        <p className="mb-3 text-slate-700 dark:text-slate-300">{t('guardian.linkHelp')}</p>
        <button type="button" className={buttonClass} onClick={() => void invite()} disabled={inviteState.isLoading}>{t('guardian.createCode')}</button>
        {inviteState.data && (
          <p className="mt-3" role="status">
            {t('guardian.code')}: <strong className="font-mono text-lg" data-testid="invitation-code">{inviteState.data.code}</strong> · {t('guardian.codeExpires', { when: marketTime(inviteState.data.expires_at) })}
          </p>
        )}
        <ProblemAlert error={inviteState.error} />
      </Card>
    </Page>
  );
}
