// Live updates written into the RTK Query cache (redux-essentials: `onCacheEntryAdded`).
// Each cached read subscribes to the channels that change it while it is in use.
import { keelApi, type AccountOut, type LeaderboardOut, type OrderOut, type QuoteOut } from '../api/generated';
import { getLive, scenarioChannel, type LiveMessage } from './index';

type AccountChange = {
  id: string;
  cash: string;
  buying_power: string;
  equity: string;
  epoch: number;
};

/** Keep a cached class leaderboard current: the server publishes the class's new board on
 * `leaderboard:<class id>` at each market day's close (ranked by the class's score; a teacher's
 * view ranked by another score waits for its next read). */
function followBoard({ sameScoreOnly }: { sameScoreOnly: boolean }) {
  return async (
    arg: { classId: string },
    { updateCachedData, cacheDataLoaded, cacheEntryRemoved }: {
      updateCachedData: (recipe: (board: LeaderboardOut) => LeaderboardOut | void) => void;
      cacheDataLoaded: Promise<unknown>;
      cacheEntryRemoved: Promise<unknown>;
    },
  ) => {
    let stop = () => {};
    try {
      await cacheDataLoaded;
      stop = getLive().subscribe(`leaderboard:${arg.classId}`, (message) => {
        const board = message as unknown as LeaderboardOut;
        if (board.class_id !== arg.classId) return;
        updateCachedData((cached) => (!sameScoreOnly || cached.score === board.score ? board : cached));
      });
    } catch {
      // not loaded
    }
    await cacheEntryRemoved;
    stop();
  };
}

function upsertOrder(orders: OrderOut[], order: OrderOut): void {
  const index = orders.findIndex((each) => each.id === order.id);
  if (index >= 0) orders[index] = order;
  else orders.unshift(order);
}

export const liveApi = keelApi.enhanceEndpoints({
  endpoints: {
    listQuotes: {
      async onCacheEntryAdded(arg, { updateCachedData, cacheDataLoaded, cacheEntryRemoved }) {
        const stops: (() => void)[] = [];
        try {
          const { data } = await cacheDataLoaded;
          for (const quote of data) {
            const channel = scenarioChannel(`quotes:${quote.symbol}`, arg?.scenario);
            stops.push(
              getLive().subscribe(channel, (message: LiveMessage) => {
                const next = message as unknown as QuoteOut;
                updateCachedData((quotes) => {
                  const index = quotes.findIndex((each) => each.symbol === next.symbol);
                  if (index >= 0) quotes[index] = { ...quotes[index], ...next };
                });
              }),
            );
          }
        } catch {
          // the entry went away before it loaded
        }
        await cacheEntryRemoved;
        stops.forEach((stop) => stop());
      },
    },
    listOrders: {
      async onCacheEntryAdded(arg, { updateCachedData, cacheDataLoaded, cacheEntryRemoved }) {
        let stop = () => {};
        try {
          await cacheDataLoaded;
          stop = getLive().subscribe('orders', (message) => {
            if (message.type !== 'order') return;
            const order = message.order as OrderOut;
            if (arg?.accountId && order.account_id !== arg.accountId) return;
            updateCachedData((orders) => upsertOrder(orders, order));
          });
        } catch {
          // not loaded
        }
        await cacheEntryRemoved;
        stop();
      },
    },
    getStandings: { onCacheEntryAdded: followBoard({ sameScoreOnly: false }) },
    getLeaderboard: { onCacheEntryAdded: followBoard({ sameScoreOnly: true }) },
    getAccount: {
      async onCacheEntryAdded(arg, { updateCachedData, cacheDataLoaded, cacheEntryRemoved, dispatch }) {
        let stop = () => {};
        try {
          await cacheDataLoaded;
          stop = getLive().subscribe('accounts', (message) => {
            if (message.type !== 'account') return;
            const change = message.account as AccountChange;
            if (change.id !== arg.accountId) return;
            updateCachedData((account: AccountOut) => {
              account.cash = change.cash;
              account.buying_power = change.buying_power;
              account.equity = change.equity;
            });
            // Positions changed with the fill: read them again (one small request).
            dispatch(keelApi.util.invalidateTags(['accounts']));
          });
        } catch {
          // not loaded
        }
        await cacheEntryRemoved;
        stop();
      },
    },
  },
});
