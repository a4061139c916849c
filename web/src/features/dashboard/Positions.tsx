import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { PositionOut } from '../../api/generated';
import { money, price, quantity, signClass } from '../../components/format';
import { Table, td, th, secondaryButtonClass } from '../../components/ui';
import { useNarrowScreen } from '../../components/useNarrowScreen';

function TradeLinks({ position }: { position: PositionOut }) {
  const { t } = useTranslation();
  const { symbol } = position;
  return (
    <>
      <Link className={`${secondaryButtonClass} mr-1`} to={`/trade?symbol=${symbol}&side=buy`} aria-label={t('trade.buySymbol', { symbol })}>{t('side.buy')}</Link>
      <Link className={secondaryButtonClass} to={`/trade?symbol=${symbol}&side=sell&quantity=${position.quantity}`} aria-label={t('trade.sellSymbol', { symbol })}>{t('side.sell')}</Link>
    </>
  );
}

/** On a phone each position is a card: a seven-column table would hide its value and profit
 * off the right edge. */
function PositionCards({ positions }: { positions: PositionOut[] }) {
  const { t } = useTranslation();
  return (
    <ul className="divide-y divide-slate-200 dark:divide-slate-700" aria-label={t('dashboard.positions')}>
      {positions.map((position) => (
        <li key={position.symbol} className="py-3" data-testid="position">
          <div className="flex items-baseline justify-between gap-2">
            <Link className="text-lg font-semibold underline" to={`/markets/${position.symbol}`}>{position.symbol}</Link>
            <span className="text-lg font-semibold tabular-nums">{money(position.market_value)}</span>
          </div>
          <dl className="mt-1 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600 dark:text-slate-300">{t('common.quantity')}</dt>
            <dd className="text-right tabular-nums">{quantity(position.quantity)}</dd>
            <dt className="text-slate-600 dark:text-slate-300">{t('dashboard.averageCost')}</dt>
            <dd className="text-right tabular-nums">{money(position.average_cost)}</dd>
            <dt className="text-slate-600 dark:text-slate-300">{t('common.price')}</dt>
            <dd className="text-right tabular-nums">{money(position.market_price)}</dd>
            <dt className="text-slate-600 dark:text-slate-300">{t('dashboard.unrealized')}</dt>
            <dd className={`text-right font-medium tabular-nums ${signClass(position.unrealized_pnl)}`}>{money(position.unrealized_pnl)}</dd>
          </dl>
          <div className="mt-2 text-right"><TradeLinks position={position} /></div>
        </li>
      ))}
    </ul>
  );
}

/** The account's positions: a table, or cards on a phone. */
export default function Positions({ positions }: { positions: PositionOut[] }) {
  const { t } = useTranslation();
  if (useNarrowScreen()) return <PositionCards positions={positions} />;
  return (
    <Table caption={t('dashboard.positions')}>
      <thead>
        <tr>
          <th className={th}>{t('common.symbol')}</th>
          <th className={`${th} text-right`}>{t('common.quantity')}</th>
          <th className={`${th} text-right`}>{t('dashboard.averageCost')}</th>
          <th className={`${th} text-right`}>{t('common.price')}</th>
          <th className={`${th} text-right`}>{t('dashboard.value')}</th>
          <th className={`${th} text-right`}>{t('dashboard.unrealized')}</th>
          <th className={th}><span className="sr-only">{t('common.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        {positions.map((position) => (
          <tr key={position.symbol}>
            <td className={td}><Link className="font-medium underline" to={`/markets/${position.symbol}`}>{position.symbol}</Link></td>
            <td className={`${td} text-right tabular-nums`}>{quantity(position.quantity)}</td>
            <td className={`${td} text-right tabular-nums`}>{price(position.average_cost)}</td>
            <td className={`${td} text-right tabular-nums`}>{price(position.market_price)}</td>
            <td className={`${td} text-right tabular-nums`}>{money(position.market_value)}</td>
            <td className={`${td} text-right tabular-nums ${signClass(position.unrealized_pnl)}`}>{money(position.unrealized_pnl)}</td>
            <td className={`${td} whitespace-nowrap text-right`}><TradeLinks position={position} /></td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
