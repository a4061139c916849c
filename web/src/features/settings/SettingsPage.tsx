import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useChangePasswordMutation, useMyLinksQuery, useRedeemMutation } from '../../api/generated';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useMe } from '../../app/session';
import { noticesChosen, themeChosen } from '../../app/uiSlice';
import { buttonClass, Card, Field, inputClass, Page, ProblemAlert } from '../../components/ui';
import { signedIn } from '../auth/authSlice';
import Autopilot from './Autopilot';
import TwoFactor from './TwoFactor';

function Password() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { data: me } = useMe();
  const [change, state] = useChangePasswordMutation();
  const [form, setForm] = useState({ current_password: '', new_password: '', code: '' });
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pair = await change({ passwordChangeIn: { ...form, code: form.code || null } }).unwrap().catch(() => null);
    if (pair) {
      dispatch(signedIn(pair));
      setForm({ current_password: '', new_password: '', code: '' });
      setDone(true);
    }
  };
  return (
    <form onSubmit={submit} className="space-y-3">
      <Field label={t('settings.currentPassword')} htmlFor="current-password">
        <input id="current-password" type="password" autoComplete="current-password" className={inputClass} required value={form.current_password} onChange={(e) => setForm({ ...form, current_password: e.target.value })} />
      </Field>
      <Field label={t('settings.newPassword')} htmlFor="new-password" hint={t('auth.passwordHint')}>
        <input id="new-password" type="password" autoComplete="new-password" minLength={12} className={inputClass} required value={form.new_password} onChange={(e) => setForm({ ...form, new_password: e.target.value })} aria-describedby="new-password-hint" />
      </Field>
      {me?.two_factor_enabled && (
        <Field label={t('auth.code')} htmlFor="password-code">
          <input id="password-code" className={inputClass} inputMode="numeric" autoComplete="one-time-code" required value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
        </Field>
      )}
      <ProblemAlert error={state.error} />
      {done && <p role="status">{t('settings.passwordChanged')}</p>}
      <button className={buttonClass} disabled={state.isLoading}>{t('settings.changePassword')}</button>
    </form>
  );
}

function LinkGuardian() {
  const { t } = useTranslation();
  const { data: links = [] } = useMyLinksQuery();
  const [redeem, state] = useRedeemMutation();
  const [code, setCode] = useState('');
  return (
    <div className="space-y-3">
      {links.length > 0 && <p>{t('settings.guardians', { names: links.map((each) => each.guardian_display_name).join(', ') })}</p>}
      <form className="flex flex-wrap items-end gap-3" onSubmit={(event) => { event.preventDefault(); void redeem({ redeemIn: { code: code.trim() } }).unwrap().then(() => setCode('')).catch(() => undefined); }}>
        <Field label={t('settings.invitationCode')} htmlFor="invitation">
          <input id="invitation" className={inputClass} required value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <button className={buttonClass} disabled={state.isLoading}>{t('settings.link')}</button>
      </form>
      <ProblemAlert error={state.error} />
    </div>
  );
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { theme, notices } = useAppSelector((state) => state.ui);
  const { data: me } = useMe();
  return (
    <Page title={t('settings.title')}>
      {me && <p className="text-slate-700 dark:text-slate-300">{t('settings.signedInAs', { name: me.display_name, email: me.email })}</p>}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t('settings.appearance')}>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">{t('settings.theme')}</legend>
            {(['light', 'dark'] as const).map((each) => (
              <label key={each} className="mr-4 inline-flex items-center gap-2">
                <input type="radio" name="theme" checked={theme === each} onChange={() => dispatch(themeChosen(each))} /> {t(`settings.themes.${each}`)}
              </label>
            ))}
          </fieldset>
          <fieldset className="mt-4 space-y-2">
            <legend className="text-sm font-medium">{t('settings.notices')}</legend>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={notices.fills} onChange={(e) => dispatch(noticesChosen({ ...notices, fills: e.target.checked }))} /> {t('settings.noticeFills')}
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={notices.breakers} onChange={(e) => dispatch(noticesChosen({ ...notices, breakers: e.target.checked }))} /> {t('settings.noticeBreakers')}
            </label>
          </fieldset>
        </Card>
        <Card title={t('autopilot.title')}>
          <Autopilot />
        </Card>
        <Card title={t('settings.twoFactor')}>
          <TwoFactor />
        </Card>
        <Card title={t('settings.password')}>
          <Password />
        </Card>
        {me?.is_minor && (
          <Card title={t('settings.guardian')}>
            <LinkGuardian />
          </Card>
        )}
      </div>
    </Page>
  );
}
