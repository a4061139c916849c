import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { useLoginMutation, useRegisterMutation } from '../../api/generated';
import { useAppDispatch } from '../../app/hooks';
import { buttonClass, Field, inputClass, ProblemAlert, TextLink } from '../../components/ui';
import AuthFrame from './AuthFrame';
import { signedIn } from './authSlice';

export default function RegisterPage() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [register, registerState] = useRegisterMutation();
  const [login, loginState] = useLoginMutation();
  const [form, setForm] = useState({ email: '', password: '', display_name: '', date_of_birth: '', role: 'learner' as 'learner' | 'guardian' });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value } as typeof form);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const user = await register({ registerIn: form }).unwrap().catch(() => null);
    if (!user) return;
    const answer = await login({ loginIn: { email: form.email, password: form.password } }).unwrap().catch(() => null);
    if (answer && 'access_token' in answer) {
      dispatch(signedIn(answer));
      navigate('/', { replace: true });
    } else navigate('/login');
  };

  return (
    <AuthFrame title={t('auth.register')}>
      <form onSubmit={submit} className="space-y-4">
        <Field label={t('auth.displayName')} htmlFor="display_name">
          <input id="display_name" className={inputClass} autoComplete="nickname" required value={form.display_name} onChange={set('display_name')} />
        </Field>
        <Field label={t('auth.email')} htmlFor="email">
          <input id="email" type="email" className={inputClass} autoComplete="email" required value={form.email} onChange={set('email')} />
        </Field>
        <Field label={t('auth.password')} htmlFor="password" hint={t('auth.passwordHint')}>
          <input id="password" type="password" className={inputClass} autoComplete="new-password" required minLength={12} aria-describedby="password-hint" value={form.password} onChange={set('password')} />
        </Field>
        <Field label={t('auth.dateOfBirth')} htmlFor="date_of_birth" hint={t('auth.dateOfBirthHint')}>
          <input id="date_of_birth" type="date" className={inputClass} required aria-describedby="date_of_birth-hint" value={form.date_of_birth} onChange={set('date_of_birth')} />
        </Field>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">{t('auth.role')}</legend>
          {(['learner', 'guardian'] as const).map((role) => (
            <label key={role} className="mr-4 inline-flex items-center gap-2">
              <input type="radio" name="role" value={role} checked={form.role === role} onChange={set('role')} />
              {t(`auth.roles.${role}`)}
            </label>
          ))}
        </fieldset>
        <ProblemAlert error={registerState.error ?? loginState.error} />
        <button className={`${buttonClass} w-full`} disabled={registerState.isLoading || loginState.isLoading}>
          {t('auth.createAccount')}
        </button>
        <p className="text-center text-sm">
          {t('auth.haveAccount')} <TextLink to="/login">{t('auth.signIn')}</TextLink>
        </p>
      </form>
    </AuthFrame>
  );
}
