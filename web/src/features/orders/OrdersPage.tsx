import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useCancelOrderMutation, useListOrdersQuery, type OrderOut } from '../../api/generated';
import { useCurrentAccount } from '../../app/session';
import { marketTime, money, price, quantity } from '../../components/format';
import { buttonClass, Card, EmptyState, Loading, Page, ProblemAlert, secondaryButtonClass, Table, td, th } from '../../components/ui';

const OPEN = new Set(['pending_approval', 'accepted', 'partially_filled']);

export default function OrdersPage() {
  const { t } = useTranslation();
  const { account } = useCurrentAccount();
  const [tab, setTab] = useState<'open' | 'history'>('open');
  const { data: orders = [], isLoading } = useListOrdersQuery({ accountId: account?.id, limit: 200 }, { skip: !account });
  const [cancel, cancelState] = useCancelOrderMutation();
  const shown = orders.filter((order: OrderOut) => OPEN.has(order.status) === (tab === 'open'));

  return (
    <Page title={t('orders.title')} actions={<Link className={buttonClass} to="/trade">{t('dashboard.placeOrder')}</Link>}>
      <div role="tablist" aria-label={t('orders.title')} className="flex gap-2">
        {(['open', 'history'] as const).map((name) => (
          <button key={name} role="tab" type="button" aria-selected={tab === name} className={`${secondaryButtonClass} ${tab === name ? 'bg-slate-200 dark:bg-slate-700' : ''}`} onClick={() => setTab(name)}>
            {t(`orders.${name}`)}
          </button>
        ))}
      </div>
      <ProblemAlert error={cancelState.error} />
      <Card>
        {isLoading ? <Loading /> : shown.length === 0 ? (
          <EmptyState title={t(`orders.empty.${tab}.title`)} action={<Link className={secondaryButtonClass} to="/trade">{t('dashboard.placeOrder')}</Link>}>
            {t(`orders.empty.${tab}.body`)}
          </EmptyState>
        ) : (
          <Table caption={t(`orders.${tab}`)}>
            <thead>
              <tr>
                <th className={th}>{t('orders.placed')}</th>
                <th className={th}>{t('common.symbol')}</th>
                <th className={th}>{t('trade.side')}</th>
                <th className={th}>{t('trade.type')}</th>
                <th className={`${th} text-right`}>{t('common.quantity')}</th>
                <th className={`${th} text-right`}>{t('orders.filled')}</th>
                <th className={`${th} text-right`}>{t('orders.averagePrice')}</th>
                <th className={th}>{t('orders.status')}</th>
                {tab === 'open' && <th className={th}><span className="sr-only">{t('common.actions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((order) => (
                <tr key={order.id} data-testid={`order-${order.id}`}>
                  <td className={`${td} whitespace-nowrap`}>{marketTime(order.created_at)}</td>
                  <td className={td}>
                    {order.symbol}
                    {order.origin === 'autopilot' && (
                      <span className="ml-2 rounded bg-indigo-100 px-1.5 py-0.5 text-xs font-medium text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100" title={t('autopilot.badgeHelp')} data-testid="order-origin">
                        {t('autopilot.badge')}
                      </span>
                    )}
                  </td>
                  <td className={td}>{t(`side.${order.side}`)}</td>
                  <td className={td}>{t(`orderType.${order.type}`)}{order.limit_price ? ` @ ${price(order.limit_price)}` : ''}{order.stop_price ? ` ⏵ ${price(order.stop_price)}` : ''}</td>
                  <td className={`${td} text-right tabular-nums`}>{order.quantity ? quantity(order.quantity) : money(order.notional)}</td>
                  <td className={`${td} text-right tabular-nums`}>{quantity(order.filled_quantity)}</td>
                  <td className={`${td} text-right tabular-nums`}>{price(order.average_fill_price)}</td>
                  <td className={td}>
                    <span className="font-medium" data-testid="order-status">{t(`status.${order.status}`, order.status)}</span>
                    {order.status_reason && <span className="block max-w-xs text-xs text-slate-600 dark:text-slate-300">{order.status_reason}</span>}
                    {order.cut && <span className="block max-w-xs text-xs text-amber-800 dark:text-amber-300">{order.cut.detail}</span>}
                  </td>
                  {tab === 'open' && (
                    <td className={td}>
                      <button type="button" className={secondaryButtonClass} onClick={() => void cancel({ orderId: order.id })} aria-label={t('orders.cancelOrder', { symbol: order.symbol })}>
                        {t('orders.cancel')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </Page>
  );
}
