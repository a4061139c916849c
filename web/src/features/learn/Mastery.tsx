import { useTranslation } from 'react-i18next';

import type { SkillMasteryOut } from '../../api/generated';

const STYLE: Record<SkillMasteryOut['level'], string> = {
  not_started: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
  attempted: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  familiar: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
  proficient: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
};

export default function Mastery({ mastery }: { mastery: SkillMasteryOut }) {
  const { t } = useTranslation();
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${STYLE[mastery.level]}`}>
      {t(`learn.level.${mastery.level}`)}
      {mastery.answered > 0 && ` · ${mastery.right}/${mastery.total}`}
    </span>
  );
}
