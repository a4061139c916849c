import { Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';

import { keelApi, useListBreakersQuery, useMarketClockQuery, type BreakerOut } from '../api/generated';
import { sessionEnded } from '../features/auth/authSlice';
import { changeLanguage, LANGUAGES, type Language } from '../i18n';
import { getLive, scenarioChannel } from '../live';
import { useAppDispatch, useAppSelector } from './hooks';
import { PageMarketContext, type PageMarket } from './pageMarket';
import { useCurrentAccount, useMe, useScenarioId } from './session';
import { accountChosen, themeChosen, toastDismissed, toastShown } from './uiSlice';
import { LevelBadge, Loading } from '../components/ui';
import FeedbackButton from '../features/feedback/FeedbackButton';
import { useFlag } from '../features/flags/useFlag';
import { marketTime } from '../components/format';

function LiveBanner() {
  const { t } = useTranslation();
  const { status, retryInMs } = useAppSelector((state) => state.live);
  if (status !== 'offline') return null;
  return (
    <div role="status" className="bg-amber-100 px-4 py-2 text-center text-amber-950 dark:bg-amber-900 dark:text-amber-50">
      {t('live.offline', { seconds: Math.ceil(retryInMs / 1000) })}
    </div>
  );
}

const STORMY = new Set(['RESTRICTED', 'CLOSED']);

/** How long a page waits, laid out but unseen, for the breaker board's first answer. */
const BANNER_WAIT_MS = 1500;

/** True once `ready` has been true, or `waitMs` after mount, whichever comes first; then stays
 * true. */
function useSettled(ready: boolean, waitMs: number): boolean {
  const [timedOut, setTimedOut] = useState(false);
  const [seen, setSeen] = useState(ready);
  if (ready && !seen) setSeen(true);
  useEffect(() => {
    const timer = setTimeout(() => setTimedOut(true), waitMs);
    return () => clearTimeout(timer);
  }, [waitMs]);
  return seen || timedOut;
}

/** The market-wide breaker when it is not open; otherwise the symbols in a storm, if any. */
function BreakerBanner({ breakers }: { breakers: BreakerOut[] }) {
  const { t } = useTranslation();
  const market = breakers.find((each) => each.scope === 'market' && each.effective_level !== 'OPEN');
  const stormy = breakers.filter((each) => each.scope === 'symbol' && STORMY.has(each.effective_level)).map((each) => each.key);
  if (!market && stormy.length === 0) return null;
  return (
    <div role="status" data-testid="breaker-banner" className="border-b border-orange-300 bg-orange-50 px-4 py-2 text-orange-950 dark:border-orange-700 dark:bg-orange-950 dark:text-orange-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-2">
        {market ? (
          <>
            <LevelBadge level={market.effective_level} />
            <span>{market.reason}</span>
            {market.condition && <span className="text-sm">({market.condition})</span>}
          </>
        ) : (
          <span>{t('breakers.storm', { symbols: stormy.join(', '), count: stormy.length })}</span>
        )}
        <Link className="ml-auto text-sm font-medium underline" to="/risk">
          {t('breakers.seeAll')}
        </Link>
      </div>
    </div>
  );
}

const TOAST_SECONDS = 8;

function Toasts() {
  const toasts = useAppSelector((state) => state.ui.toasts);
  const dispatch = useAppDispatch();
  const { t } = useTranslation();
  useEffect(() => {
    const timers = toasts.map((toast) => setTimeout(() => dispatch(toastDismissed(toast.id)), TOAST_SECONDS * 1000));
    return () => timers.forEach(clearTimeout);
  }, [toasts, dispatch]);
  return (
    <div aria-live="polite" className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2">
      {toasts.map((toast) => (
        <div key={toast.id} className="pointer-events-auto flex items-start gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-800">
          <p className="flex-1 text-sm">{toast.text}</p>
          <button type="button" className="text-sm underline" onClick={() => dispatch(toastDismissed(toast.id))}>
            {t('common.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}

/** Fills and breaker moves as notices, when the learner wants them (settings). */
function useNotices(scenarioId: string) {
  const dispatch = useAppDispatch();
  const notices = useAppSelector((state) => state.ui.notices);
  const { t } = useTranslation();
  useEffect(() => {
    const live = getLive();
    const stops = [
      live.subscribe('orders', (message) => {
        const order = message.order as { status?: string; side?: string; symbol?: string; filled_quantity?: string } | undefined;
        if (message.type === 'order' && order?.status === 'filled' && notices.fills)
          dispatch(toastShown('fill', t('notices.filled', { side: t(`side.${order.side}`), symbol: order.symbol, quantity: order.filled_quantity })));
      }),
      live.subscribe(scenarioChannel('breakers', scenarioId), (message) => {
        const transition = message.transition as { scope_key?: string; to_level?: string; reason?: string } | undefined;
        if (message.type === 'breaker_transition' && transition && notices.breakers)
          dispatch(toastShown('breaker', `${transition.scope_key}: ${t(`level.${transition.to_level}`)} — ${transition.reason}`, `breaker:${transition.scope_key}`));
      }),
      live.subscribe('notifications', () => {}),
    ];
    return () => stops.forEach((stop) => stop());
  }, [dispatch, notices, scenarioId, t]);
}

/** The header's market date: the market of what the page is about, named when it is not the account's. */
function Clock({ scenarioId, name }: { scenarioId: string; name: string | null }) {
  const { t } = useTranslation();
  const { data } = useMarketClockQuery({ scenario: scenarioId }, { pollingInterval: 60_000 });
  // The engine announces every new market day (and every pause, speed change or skip) on the
  // scenario's clock channel: the date follows the replay without a request per day. What one
  // market announced is never shown for another (a teacher going from a class page back home).
  const [announced, setAnnounced] = useState<{ scenarioId: string; time: string } | null>(null);
  useEffect(
    () =>
      getLive().subscribe(scenarioChannel('clock', scenarioId), (message) => {
        const time = (message as { market_time?: string | null }).market_time;
        if (time) setAnnounced({ scenarioId, time });
      }),
    [scenarioId],
  );
  if (!data) return null;
  const heard = announced?.scenarioId === scenarioId ? announced.time : null;
  const shown = heard && (!data.market_time || Date.parse(heard) > Date.parse(data.market_time)) ? heard : data.market_time;
  return (
    <span className="text-sm text-slate-700 dark:text-slate-300" title={t('clock.title')} data-testid="market-clock">
      {name === null ? t('clock.marketDate') : t('clock.marketDateOf', { market: name })}: <strong data-testid="market-date">{marketTime(shown, false)}</strong>
    </span>
  );
}

export default function Layout() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const theme = useAppSelector((state) => state.ui.theme);
  const { accessToken, refreshToken } = useAppSelector((state) => state.auth);
  const { data: me } = useMe();
  const { account, accounts } = useCurrentAccount();
  const scenarioId = useScenarioId();
  const breakersQuery = useListBreakersQuery({ scenario: scenarioId }, { pollingInterval: 30_000 });
  const board = breakersQuery.data;
  // The breaker banner sits above the page. Until its first answer the page is laid out (its own
  // requests under way) but not shown, so a banner arriving never pushes down what a finger was
  // about to tap.
  const bannerSettled = useSettled(breakersQuery.currentData !== undefined || breakersQuery.isError, BANNER_WAIT_MS);
  const signals = useFlag('model-signals');
  // A page about another market (a class page) names it here; the header's date follows it.
  const [pageMarket, setPageMarket] = useState<PageMarket | null>(null);
  const shownMarket = useMemo(() => ({ market: pageMarket, show: setPageMarket }), [pageMarket]);
  useNotices(scenarioId);
  useEffect(() => {
    document.documentElement.classList.toggle('dark', theme === 'dark');
  }, [theme]);

  const links: [string, string][] = [
    ['/', t('nav.dashboard')],
    ['/markets', t('nav.markets')],
    ['/trade', t('nav.trade')],
    ['/orders', t('nav.orders')],
    ['/risk', t('nav.risk')],
    ['/learn', t('nav.learn')],
    ['/backtests', t('nav.backtests')],
  ];
  if (signals) links.push(['/signals', t('nav.signals')]);
  if (me?.role === 'guardian') links.push(['/guardian', t('nav.guardian')]);
  if (me?.role === 'teacher' || me?.role === 'admin') links.push(['/classes', t('nav.classes')]);
  if (me?.role === 'learner') links.push(['/classes', t('nav.myClass')]);
  if (me?.role === 'admin') links.push(['/admin', t('nav.admin')]);
  links.push(['/settings', t('nav.settings')]);

  const signOut = () => {
    // Forget the session and everything read with it first (the next person on this computer
    // sees nothing of it), then tell the server to revoke both tokens.
    const revoke = { refresh_token: refreshToken ?? '' };
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    navigate('/login', { replace: true }); // first: no "come back to this page" for the next person
    dispatch(sessionEnded());
    dispatch(keelApi.util.resetApiState());
    if (refreshToken) void fetch('/api/v1/auth/logout', { method: 'POST', headers, body: JSON.stringify(revoke) }).catch(() => undefined);
  };

  const frame = (
    <div className="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2 focus:text-slate-900">
        {t('nav.skip')}
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
          <NavLink to="/" className="flex items-center gap-2 text-lg font-bold text-teal-800 dark:text-teal-300">
            <img src="/favicon.svg" alt="" width="24" height="24" /> Keel
          </NavLink>
          <Clock scenarioId={pageMarket?.scenarioId ?? scenarioId} name={pageMarket?.name ?? null} />
          <div className="ml-auto flex flex-wrap items-center gap-2 text-sm">
            {accounts.length > 1 && (
              <label className="flex items-center gap-1">
                <span className="sr-only">{t('nav.account')}</span>
                <select
                  className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-800"
                  value={account?.id}
                  onChange={(event) => dispatch(accountChosen(event.target.value))}
                >
                  {accounts.map((each) => (
                    <option key={each.id} value={each.id}>
                      {each.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="flex items-center gap-1">
              <span className="sr-only">{t('nav.language')}</span>
              <select
                className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-800"
                value={i18n.language}
                onChange={(event) => void changeLanguage(event.target.value as Language)}
              >
                {Object.entries(LANGUAGES).map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600"
              aria-pressed={theme === 'dark'}
              onClick={() => dispatch(themeChosen(theme === 'dark' ? 'light' : 'dark'))}
            >
              {theme === 'dark' ? t('nav.lightTheme') : t('nav.darkTheme')}
            </button>
            <FeedbackButton />
            <button type="button" className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600" onClick={signOut}>
              {t('nav.signOut')}
            </button>
          </div>
        </div>
        <nav aria-label={t('nav.main')} className="mx-auto max-w-6xl overflow-x-auto px-2">
          <ul className="flex gap-1 whitespace-nowrap">
            {links.map(([to, label]) => (
              <li key={to}>
                <NavLink
                  to={to}
                  end={to === '/'}
                  className={({ isActive }) =>
                    `inline-block border-b-2 px-3 py-2 text-sm font-medium ${isActive ? 'border-teal-700 text-teal-900 dark:border-teal-300 dark:text-teal-200' : 'border-transparent text-slate-700 hover:text-slate-950 dark:text-slate-300 dark:hover:text-white'}`
                  }
                >
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <LiveBanner />
      <BreakerBanner breakers={board?.breakers ?? []} />
      {me?.one_time_sign_in && (
        <div role="status" data-testid="password-banner" className="bg-amber-100 px-4 py-2 text-center text-amber-950 dark:bg-amber-900 dark:text-amber-50">
          {t('classes.choosePassword')} <Link className="font-medium underline" to="/settings">{t('nav.settings')}</Link>
        </div>
      )}
      <main id="main" aria-busy={!bannerSettled} className={bannerSettled ? undefined : 'invisible'}>
        <Suspense fallback={<div className="p-6"><Loading /></div>}>
          <Outlet />
        </Suspense>
      </main>
      <Toasts />
    </div>
  );
  return <PageMarketContext.Provider value={shownMarket}>{frame}</PageMarketContext.Provider>;
}
