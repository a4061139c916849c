import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useDisableTwoFactorMutation, useEnrolTwoFactorMutation, useVerifyTwoFactorMutation } from '../../api/generated';
import { useAppDispatch } from '../../app/hooks';
import { useMe } from '../../app/session';
import { buttonClass, Field, inputClass, ProblemAlert, secondaryButtonClass } from '../../components/ui';
import { tokensRefreshed } from '../auth/authSlice';

export default function TwoFactor() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { data: me } = useMe();
  const [enrol, enrolState] = useEnrolTwoFactorMutation();
  const [verify, verifyState] = useVerifyTwoFactorMutation();
  const [disable, disableState] = useDisableTwoFactorMutation();
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await verify({ codeIn: { code: code.trim() } }).unwrap().catch(() => null);
    if (answer) {
      // Turning 2FA on ends every older session, this one's tokens too: carry on with the new pair.
      dispatch(tokensRefreshed(answer.tokens));
      setCodes(answer.recovery_codes);
      setCode('');
    }
  };
  const turnOff = async (event: FormEvent) => {
    event.preventDefault();
    const done = await disable({ codeIn: { code: code.trim() } }).unwrap().then(() => true).catch(() => false);
    if (done) setCode('');
  };

  if (codes) {
    return (
      <div role="status" className="space-y-2">
        <p className="font-medium">{t('settings.twoFactorOn')}</p>
        <p>{t('settings.recoveryHelp')}</p>
        <ul className="grid grid-cols-2 gap-1 font-mono" data-testid="recovery-codes">{codes.map((each) => <li key={each}>{each}</li>)}</ul>
      </div>
    );
  }
  if (me?.two_factor_enabled) {
    return (
      <form onSubmit={turnOff} className="space-y-3">
        <p>{t('settings.twoFactorIsOn')}</p>
        <Field label={t('auth.code')} htmlFor="disable-code">
          <input id="disable-code" className={inputClass} inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <ProblemAlert error={disableState.error} />
        <button className={secondaryButtonClass} disabled={disableState.isLoading}>{t('settings.turnOff')}</button>
      </form>
    );
  }
  if (!enrolState.data) {
    return (
      <div className="space-y-3">
        <p>{t('settings.twoFactorIntro')}</p>
        <ProblemAlert error={enrolState.error} />
        <button type="button" className={buttonClass} onClick={() => void enrol()} disabled={enrolState.isLoading}>{t('settings.turnOn')}</button>
      </div>
    );
  }
  return (
    <form onSubmit={confirm} className="space-y-3">
      <p>{t('settings.scan')}</p>
      <img src={enrolState.data.qr_svg} alt={t('settings.qrAlt')} width={192} height={192} className="rounded bg-white p-2" />
      <p className="text-sm">
        {t('settings.cannotScan')} <code className="break-all font-mono" data-testid="totp-secret">{enrolState.data.secret}</code>
      </p>
      <Field label={t('auth.code')} htmlFor="verify-code">
        <input id="verify-code" className={inputClass} inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <ProblemAlert error={verifyState.error} />
      <button className={buttonClass} disabled={verifyState.isLoading}>{t('settings.confirmCode')}</button>
    </form>
  );
}
