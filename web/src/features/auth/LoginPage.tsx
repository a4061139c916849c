import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';

import { useLoginMutation, useLoginTwoFactorMutation, type TokenPairOut } from '../../api/generated';
import { useAppDispatch } from '../../app/hooks';
import { buttonClass, Field, inputClass, ProblemAlert, TextLink } from '../../components/ui';
import AuthFrame from './AuthFrame';
import { signedIn } from './authSlice';

export default function LoginPage() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const location = useLocation();
  const [login, loginState] = useLoginMutation();
  const [loginTwoFactor, twoFactorState] = useLoginTwoFactorMutation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState('');

  const done = (pair: TokenPairOut) => {
    dispatch(signedIn(pair));
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from && from !== '/login' ? from : '/', { replace: true });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await login({ loginIn: { email, password } }).unwrap().catch(() => null);
    if (!answer) return;
    if ('challenge_token' in answer) setChallenge(answer.challenge_token);
    else done(answer);
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    if (!challenge) return;
    const pair = await loginTwoFactor({ loginTwoFactorIn: { challenge_token: challenge, code: code.trim() } })
      .unwrap()
      .catch(() => null);
    if (pair) done(pair);
  };

  if (challenge) {
    return (
      <AuthFrame title={t('auth.twoFactorTitle')}>
        <form onSubmit={submitCode} className="space-y-4">
          <p>{t('auth.twoFactorHelp')}</p>
          <Field label={t('auth.code')} htmlFor="code">
            <input id="code" className={inputClass} inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} autoFocus />
          </Field>
          <ProblemAlert error={twoFactorState.error} />
          <button className={`${buttonClass} w-full`} disabled={twoFactorState.isLoading}>
            {t('auth.verify')}
          </button>
        </form>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t('auth.signIn')}>
      <form onSubmit={submit} className="space-y-4">
        <Field label={t('auth.email')} htmlFor="email">
          <input id="email" type="email" className={inputClass} autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label={t('auth.password')} htmlFor="password">
          <input id="password" type="password" className={inputClass} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <ProblemAlert error={loginState.error} />
        <button className={`${buttonClass} w-full`} disabled={loginState.isLoading}>
          {t('auth.signIn')}
        </button>
        <p className="text-center text-sm">
          {t('auth.noAccount')} <TextLink to="/register">{t('auth.register')}</TextLink>
        </p>
      </form>
    </AuthFrame>
  );
}
