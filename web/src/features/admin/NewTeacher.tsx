import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useCreateTeacherMutation, type NewTeacherOut } from '../../api/generated';
import { buttonClass, Field, inputClass, ProblemAlert } from '../../components/ui';

const empty = { display_name: '', email: '', date_of_birth: '' };

/** An admin adds a teacher; the one-time password is shown once, to hand over. */
export default function NewTeacher() {
  const { t } = useTranslation();
  const [create, state] = useCreateTeacherMutation();
  const [form, setForm] = useState(empty);
  const [created, setCreated] = useState<NewTeacherOut | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await create({ newTeacherIn: form }).unwrap().catch(() => null);
    if (answer) {
      setCreated(answer);
      setForm(empty);
    }
  };
  return (
    <form className="space-y-3" onSubmit={(event) => void submit(event)} aria-labelledby="new-teacher">
      <h3 id="new-teacher" className="font-semibold">{t('admin.newTeacher')}</h3>
      <div className="grid gap-3 sm:grid-cols-3 sm:items-end">
        <Field label={t('admin.name')} htmlFor="teacher-name"><input id="teacher-name" className={inputClass} required maxLength={100} value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} /></Field>
        <Field label={t('auth.email')} htmlFor="teacher-email"><input id="teacher-email" type="email" className={inputClass} required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} /></Field>
        <Field label={t('auth.dateOfBirth')} htmlFor="teacher-born"><input id="teacher-born" type="date" className={inputClass} required value={form.date_of_birth} onChange={(e) => setForm({ ...form, date_of_birth: e.target.value })} /></Field>
      </div>
      <button className={buttonClass} disabled={state.isLoading}>{t('admin.addTeacher')}</button>
      <ProblemAlert error={state.error} />
      {created && (
        <p role="status" className="rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-800">
          {t('admin.teacherCreated', { email: created.email })} <code className="font-mono text-base">{created.one_time_password}</code>
        </p>
      )}
    </form>
  );
}
