import { useTranslation } from 'react-i18next';

import type { OrderIn } from '../../api/generated';
import { money, quantity } from '../../components/format';

/** What the order asks for, in words, before it is sent. */
export default function Preview({ order }: { order: OrderIn }) {
  const { t } = useTranslation();
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
      <dt className="text-sm text-slate-600 dark:text-slate-300">{t('trade.side')}</dt>
      <dd>{t(`side.${order.side}`)} {order.symbol}</dd>
      <dt className="text-sm text-slate-600 dark:text-slate-300">{t('trade.type')}</dt>
      <dd>{t(`orderType.${order.type}`)}</dd>
      <dt className="text-sm text-slate-600 dark:text-slate-300">{order.quantity ? t('common.quantity') : t('trade.amountInDollars')}</dt>
      <dd>{order.quantity ? quantity(order.quantity) : money(order.notional)}</dd>
    </dl>
  );
}
