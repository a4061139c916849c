import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { useListInstrumentsQuery, useListQuotesQuery, usePlaceOrderMutation, type OrderIn, type OrderOut } from '../../api/generated';
import { useCurrentAccount, useMe } from '../../app/session';
import { money, quantity as formatQuantity } from '../../components/format';
import { buttonClass, Card, EmptyState, Field, inputClass, Page, ProblemAlert, secondaryButtonClass, TextLink } from '../../components/ui';
import { problemCode, readProblem } from '../../components/problems';
import { lessonRoute } from '../learn/links';
import QuickCheck from '../learn/QuickCheck';
import Preview from './Preview';

const TYPES = ['market', 'limit', 'stop', 'stop_limit'] as const;
type Sizing = 'quantity' | 'notional';

export function OrderResult({ order }: { order: OrderOut }) {
  const { t } = useTranslation();
  return (
    <div role="status" data-testid="order-result" className="rounded-lg border border-teal-300 bg-teal-50 p-3 text-teal-950 dark:border-teal-700 dark:bg-teal-950 dark:text-teal-50">
      <p className="font-medium">
        {t('trade.placed', { side: t(`side.${order.side}`), symbol: order.symbol, status: t(`status.${order.status}`, order.status) })}
      </p>
      {order.cut && (
        <p data-testid="order-cut" className="mt-1">
          {t('trade.cut', { requested: formatQuantity(order.requested_quantity), quantity: formatQuantity(order.quantity) })} {order.cut.detail}{' '}
          {lessonRoute(order.cut.lesson) && <TextLink to={lessonRoute(order.cut.lesson)!}>{t('common.learnWhy')}</TextLink>}
        </p>
      )}
      {order.status === 'pending_approval' && <p className="mt-1">{t('trade.waitsForGuardian')}</p>}
      <p className="mt-1">{order.status_reason}</p>
      <TextLink to="/orders">{t('trade.seeOrders')}</TextLink>
    </div>
  );
}

export default function TradePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { account } = useCurrentAccount();
  const { data: me } = useMe();
  const scenario = account?.scenario_id ?? 'default';
  const { data: instruments = [] } = useListInstrumentsQuery({ scenario });
  const { data: quotes = [] } = useListQuotesQuery({ scenario });
  const [place, placeState] = usePlaceOrderMutation();
  const [form, setForm] = useState({
    symbol: (params.get('symbol') ?? '').toUpperCase(),
    side: (params.get('side') === 'sell' ? 'sell' : 'buy') as 'buy' | 'sell',
    type: 'market' as (typeof TYPES)[number],
    sizing: 'quantity' as Sizing,
    amount: params.get('quantity') ?? '',
    limit_price: '',
    stop_price: '',
    time_in_force: 'day' as 'day' | 'gtc',
  });
  const [reviewing, setReviewing] = useState(false);
  const [placed, setPlaced] = useState<OrderOut | null>(null);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => {
    setForm({ ...form, [key]: event.target.value } as typeof form);
    setReviewing(false);
    setPlaced(null);
  };
  const tradable = instruments.filter((each) => each.tradable);
  const refusalCode = problemCode(readProblem(placeState.error));
  const quote = quotes.find((each) => each.symbol === form.symbol);

  const order = useMemo<OrderIn | null>(() => {
    if (!account || !form.symbol || !form.amount) return null;
    return {
      account_id: account.id,
      symbol: form.symbol,
      side: form.side,
      type: form.type,
      time_in_force: form.time_in_force,
      ...(form.sizing === 'quantity' ? { quantity: form.amount } : { notional: form.amount }),
      ...(form.type === 'limit' || form.type === 'stop_limit' ? { limit_price: form.limit_price } : {}),
      ...(form.type === 'stop' || form.type === 'stop_limit' ? { stop_price: form.stop_price } : {}),
    };
  }, [account, form]);

  if (!account) {
    return (
      <Page title={t('trade.title')}>
        <EmptyState title={t('trade.noAccountTitle')} action={<Link className={buttonClass} to="/">{t('dashboard.openAccount')}</Link>}>
          {t('trade.noAccountBody')}
        </EmptyState>
      </Page>
    );
  }

  const review = (event: FormEvent) => {
    event.preventDefault();
    setReviewing(true);
  };
  const confirm = async () => {
    if (!order) return;
    const result = await place({ orderIn: { ...order, client_order_id: crypto.randomUUID() } }).unwrap().catch(() => null);
    if (result) {
      setPlaced(result);
      setReviewing(false);
    }
  };

  return (
    <Page title={t('trade.title')}>
      <Card>
        <form onSubmit={review} className="grid gap-4 sm:grid-cols-2" aria-describedby="ticket-help">
          <p id="ticket-help" className="text-slate-700 sm:col-span-2 dark:text-slate-300">
            {t('trade.help', { account: account.name, cash: money(account.buying_power) })}
            {me?.is_minor && ` ${t('trade.minorHelp')}`}
          </p>
          <Field label={t('common.symbol')} htmlFor="symbol">
            <select id="symbol" className={inputClass} required value={form.symbol} onChange={set('symbol')}>
              <option value="">{t('trade.pickSymbol')}</option>
              {tradable.map((each) => (
                <option key={each.symbol} value={each.symbol}>{each.symbol} — {each.name}</option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend className="mb-1 text-sm font-medium">{t('trade.side')}</legend>
            <div className="flex gap-4">
              {(['buy', 'sell'] as const).map((side) => (
                <label key={side} className="inline-flex items-center gap-2">
                  <input type="radio" name="side" value={side} checked={form.side === side} onChange={set('side')} /> {t(`side.${side}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <Field label={t('trade.type')} htmlFor="type" hint={t(`trade.typeHelp.${form.type}`)}>
            <select id="type" className={inputClass} value={form.type} onChange={set('type')} aria-describedby="type-hint">
              {TYPES.map((type) => <option key={type} value={type}>{t(`orderType.${type}`)}</option>)}
            </select>
          </Field>
          <Field label={t('trade.timeInForce')} htmlFor="tif" hint={t(`trade.tifHelp.${form.time_in_force}`)}>
            <select id="tif" className={inputClass} value={form.time_in_force} onChange={set('time_in_force')} aria-describedby="tif-hint">
              <option value="day">{t('tif.day')}</option>
              <option value="gtc">{t('tif.gtc')}</option>
            </select>
          </Field>
          <fieldset>
            <legend className="mb-1 text-sm font-medium">{t('trade.sizeBy')}</legend>
            <div className="flex gap-4">
              {(['quantity', 'notional'] as const).map((sizing) => (
                <label key={sizing} className="inline-flex items-center gap-2">
                  <input type="radio" name="sizing" value={sizing} checked={form.sizing === sizing} onChange={set('sizing')} /> {t(`trade.sizing.${sizing}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <Field label={form.sizing === 'quantity' ? t('common.quantity') : t('trade.amountInDollars')} htmlFor="amount">
            <input id="amount" className={inputClass} inputMode="decimal" required pattern="[0-9]*[.]?[0-9]*" value={form.amount} onChange={set('amount')} />
          </Field>
          {(form.type === 'limit' || form.type === 'stop_limit') && (
            <Field label={t('trade.limitPrice')} htmlFor="limit">
              <input id="limit" className={inputClass} inputMode="decimal" required value={form.limit_price} onChange={set('limit_price')} />
            </Field>
          )}
          {(form.type === 'stop' || form.type === 'stop_limit') && (
            <Field label={t('trade.stopPrice')} htmlFor="stop">
              <input id="stop" className={inputClass} inputMode="decimal" required value={form.stop_price} onChange={set('stop_price')} />
            </Field>
          )}
          <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
            <button className={buttonClass}>{t('trade.review')}</button>
            {quote && <span className="text-sm text-slate-700 dark:text-slate-300">{t('trade.quoteNow', { bid: quote.bid, ask: quote.ask })}</span>}
          </div>
        </form>
      </Card>
      {reviewing && order && (
        <Card title={t('trade.previewTitle')}>
          <Preview order={order} />
          <div className="mt-4 flex gap-3">
            <button type="button" className={buttonClass} onClick={() => void confirm()} disabled={placeState.isLoading}>
              {t('trade.confirm')}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setReviewing(false)}>
              {t('common.change')}
            </button>
          </div>
        </Card>
      )}
      <ProblemAlert error={placeState.error} />
      {placed && <OrderResult order={placed} />}
      {refusalCode && <QuickCheck code={refusalCode} />}
    </Page>
  );
}
