import type { AppStore } from '../app/store';
import { refreshTokens } from '../api/base';
import { keelApi } from '../api/generated';
import { LiveSocket } from './socket';

export type { LiveMessage } from './socket';

let live: LiveSocket | null = null;

/** The app's one socket (created with the store, started once someone signs in). */
export function createLive(store: AppStore): LiveSocket {
  live = new LiveSocket({
    getToken: () => store.getState().auth.accessToken,
    refresh: async () => {
      const refreshToken = store.getState().auth.refreshToken;
      return refreshToken ? refreshTokens(refreshToken, store.dispatch) : false;
    },
    dispatch: store.dispatch,
    onReconnected: () =>
      // Whatever happened while the socket was down: read it again.
      store.dispatch(
        keelApi.util.invalidateTags(['accounts', 'orders', 'market', 'breakers', 'guardian', 'volatility']),
      ),
  });
  return live;
}

export function getLive(): LiveSocket {
  if (!live) throw new Error('the live socket is created with the store');
  return live;
}

/** `quotes:SPX` in the default scenario, `quotes:SPX@<id>` in another. */
export function scenarioChannel(name: string, scenarioId: string | undefined): string {
  return !scenarioId || scenarioId === 'default' ? name : `${name}@${scenarioId}`;
}
