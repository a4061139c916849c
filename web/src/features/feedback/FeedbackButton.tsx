import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useStore } from 'react-redux';

import { useSendFeedbackMutation } from '../../api/generated';
import { useAppDispatch } from '../../app/hooks';
import { useShownMarket } from '../../app/pageMarket';
import type { RootState } from '../../app/store';
import { toastShown } from '../../app/uiSlice';
import Modal from '../../components/Modal';
import { buttonClass, Field, inputClass, ProblemAlert, secondaryButtonClass } from '../../components/ui';
import { useFlag } from '../flags/useFlag';
import { appSnapshot } from './snapshot';

export const MAX_FEEDBACK_CHARS = 2000;

/** A button on every page that opens a dialog to send feedback about the page. */
export default function FeedbackButton() {
  const { t, i18n } = useTranslation();
  const enabled = useFlag('feedback-button');
  const location = useLocation();
  const store = useStore<RootState>();
  const dispatch = useAppDispatch();
  const { scenarioId } = useShownMarket(); // the market of the page the feedback is about
  const [send, state] = useSendFeedbackMutation();
  const [text, setText] = useState('');
  const [attach, setAttach] = useState(true);
  const [open, setOpen] = useState(false);
  if (!enabled) return null;

  const close = () => setOpen(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const page = location.pathname;
    const app_state = attach ? appSnapshot(store.getState(), page, i18n.language) : null;
    const sent = await send({ feedbackIn: { text, page, app_state, scenario_id: scenarioId } });
    if ('data' in sent) {
      setText('');
      close();
      dispatch(toastShown('info', t('feedback.thanks')));
    }
  };

  return (
    <>
      <button type="button" className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600" onClick={() => setOpen(true)}>
        {t('feedback.button')}
      </button>
      <Modal open={open} onClose={close} labelledBy="feedback-title">
        <form onSubmit={(event) => void submit(event)} className="space-y-3">
          <h2 id="feedback-title" className="text-lg font-semibold">{t('feedback.title')}</h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('feedback.help', { page: location.pathname })}</p>
          <Field label={t('feedback.text')} htmlFor="feedback-text" hint={t('feedback.limit', { count: MAX_FEEDBACK_CHARS })}>
            <textarea id="feedback-text" className={`${inputClass} h-32`} required maxLength={MAX_FEEDBACK_CHARS} value={text} onChange={(e) => setText(e.target.value)} />
          </Field>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-1" checked={attach} onChange={(e) => setAttach(e.target.checked)} />
            <span>{t('feedback.attach')}</span>
          </label>
          <ProblemAlert error={state.error} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButtonClass} onClick={close}>{t('feedback.cancel')}</button>
            <button className={buttonClass} disabled={state.isLoading || !text.trim()}>{t('feedback.send')}</button>
          </div>
        </form>
      </Modal>
    </>
  );
}
