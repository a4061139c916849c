import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useChangeFlagMutation, useListFlagsQuery, useSetCohortMutation, type Cohort, type FlagOut } from '../../api/generated';
import { useMe } from '../../app/session';
import { marketTime } from '../../components/format';
import { buttonClass, Card, EmptyState, Field, inputClass, Loading, Page, ProblemAlert, secondaryButtonClass, TextLink } from '../../components/ui';
import { COHORTS } from '../flags/cohorts';

function FlagCard({ flag, readOnly }: { flag: FlagOut; readOnly: boolean }) {
  const { t } = useTranslation();
  const [change, state] = useChangeFlagMutation();
  const variants = Object.keys(flag.variants);
  const cohorts = flag.cohorts ?? {};
  const setCohort = (cohort: Cohort, variant: string) => {
    const next: Record<string, string> = { ...cohorts };
    if (variant === '') delete next[cohort];
    else next[cohort] = variant;
    void change({ key: flag.key, flagPatchIn: { cohorts: next } });
  };
  return (
    <Card title={flag.key}>
      <p className="text-sm text-slate-700 dark:text-slate-300">{flag.description}</p>
      <p className="mt-1 text-sm" data-testid={`flag-${flag.key}-summary`}>
        {t(flag.state === 'ENABLED' ? 'flags.enabled' : 'flags.disabled')} · {t('flags.defaultIs', { variant: flag.default_variant })}
        {flag.changed && flag.updated_at ? ` · ${t('flags.changedBy', { who: flag.updated_by ?? '?', when: marketTime(flag.updated_at) })}` : ` · ${t('flags.asInFile')}`}
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={readOnly || state.isLoading}
          onClick={() => void change({ key: flag.key, flagPatchIn: { state: flag.state === 'ENABLED' ? 'DISABLED' : 'ENABLED' } })}
        >
          {t(flag.state === 'ENABLED' ? 'flags.disable' : 'flags.enable')}
        </button>
        <Field label={t('flags.defaultVariant')} htmlFor={`default-${flag.key}`}>
          <select
            id={`default-${flag.key}`}
            className={inputClass}
            disabled={readOnly}
            value={flag.default_variant}
            onChange={(e) => void change({ key: flag.key, flagPatchIn: { default_variant: e.target.value } })}
          >
            {variants.map((variant) => <option key={variant} value={variant}>{variant}</option>)}
          </select>
        </Field>
        {COHORTS.map((cohort) => (
          <Field key={cohort} label={t('flags.cohortGets', { cohort: t(`flags.cohorts.${cohort}`) })} htmlFor={`cohort-${flag.key}-${cohort}`}>
            <select
              id={`cohort-${flag.key}-${cohort}`}
              className={inputClass}
              disabled={readOnly || flag.cohorts === null}
              value={cohorts[cohort] ?? ''}
              onChange={(e) => setCohort(cohort, e.target.value)}
            >
              <option value="">{t('flags.theDefault')}</option>
              {variants.map((variant) => <option key={variant} value={variant}>{variant}</option>)}
            </select>
          </Field>
        ))}
      </div>
      <ProblemAlert error={state.error} />
    </Card>
  );
}

function CohortForm() {
  const { t } = useTranslation();
  const [setCohort, state] = useSetCohortMutation();
  const [email, setEmail] = useState('');
  const [cohort, setCohortValue] = useState<Cohort>('beta');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void setCohort({ cohortIn: { email, cohort } });
  };
  return (
    <Card title={t('flags.moveTitle')}>
      <form className="flex flex-wrap items-end gap-3" onSubmit={submit}>
        <Field label={t('auth.email')} htmlFor="cohort-email">
          <input id="cohort-email" type="email" required className={inputClass} value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label={t('flags.cohort')} htmlFor="cohort-choice">
          <select id="cohort-choice" className={inputClass} value={cohort} onChange={(e) => setCohortValue(e.target.value as Cohort)}>
            {COHORTS.map((each) => <option key={each} value={each}>{t(`flags.cohorts.${each}`)}</option>)}
          </select>
        </Field>
        <button className={buttonClass} disabled={state.isLoading}>{t('flags.move')}</button>
      </form>
      {state.data && <p role="status" className="mt-2 text-sm">{t('flags.moved', { email: state.data.email, cohort: t(`flags.cohorts.${state.data.cohort}`) })}</p>}
      <ProblemAlert error={state.error} />
    </Card>
  );
}

export default function AdminFlagsPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const isAdmin = me?.role === 'admin';
  const { data, isLoading, error } = useListFlagsQuery(undefined, { skip: !isAdmin });
  if (me && !isAdmin) {
    return <Page title={t('flags.title')}><EmptyState title={t('admin.onlyAdmins')}>{t('admin.onlyAdminsBody')}</EmptyState></Page>;
  }
  return (
    <Page title={t('flags.title')} actions={<TextLink to="/admin">{t('nav.admin')}</TextLink>}>
      <p className="text-slate-700 dark:text-slate-300">{t('flags.intro')}</p>
      {isLoading && <Loading />}
      <ProblemAlert error={error} />
      {data?.read_only && <p role="status">{t('flags.readOnly', { source: data.source })}</p>}
      {data?.flags.map((flag) => <FlagCard key={flag.key} flag={flag} readOnly={data.read_only} />)}
      <CohortForm />
    </Page>
  );
}
