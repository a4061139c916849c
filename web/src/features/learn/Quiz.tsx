import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useAnswerQuizMutation, type QuestionOut, type QuizResultOut } from '../../api/generated';
import { buttonClass, ProblemAlert } from '../../components/ui';
import Mastery from './Mastery';

/** Questions graded by the server: the browser never has the answers, only the verdicts. */
export default function Quiz({ lesson, questions, scenarioId }: { lesson: string; questions: QuestionOut[]; scenarioId?: string }) {
  const { t } = useTranslation();
  const [answer, state] = useAnswerQuizMutation();
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [result, setResult] = useState<QuizResultOut | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const graded = await answer({ slug: lesson, quizIn: { answers: chosen, ...(scenarioId ? { scenario_id: scenarioId } : {}) } }).unwrap().catch(() => null);
    if (graded) setResult(graded);
  };
  const verdict = (id: string) => result?.results.find((each) => each.question_id === id);

  return (
    <form onSubmit={submit} className="space-y-5">
      {questions.map((question, index) => {
        const graded = verdict(question.id);
        return (
          <fieldset key={question.id} className="space-y-2">
            <legend className="font-medium">{index + 1}. {question.text}</legend>
            {question.choices.map((choice) => (
              <label key={choice.key} className="flex items-start gap-2">
                <input type="radio" className="mt-1" name={question.id} value={choice.key} checked={chosen[question.id] === choice.key} onChange={() => setChosen({ ...chosen, [question.id]: choice.key })} required />
                <span>{choice.text}</span>
              </label>
            ))}
            {graded && (
              <p role="status" className={graded.correct ? 'text-emerald-800 dark:text-emerald-300' : 'text-rose-800 dark:text-rose-300'}>
                <strong>{graded.correct ? t('learn.right') : t('learn.notQuite')}</strong> {graded.feedback ?? ''} {graded.explanation}
              </p>
            )}
          </fieldset>
        );
      })}
      <ProblemAlert error={state.error} />
      <div className="flex flex-wrap items-center gap-3">
        <button className={buttonClass} disabled={state.isLoading}>{result ? t('learn.tryAgain') : t('learn.check')}</button>
        {result && (
          <span data-testid="quiz-score">
            {t('learn.score', { right: result.right, answered: result.answered })} <Mastery mastery={result.mastery} />
          </span>
        )}
      </div>
    </form>
  );
}
