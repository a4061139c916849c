import { configureStore } from '@reduxjs/toolkit';
import { setupListeners } from '@reduxjs/toolkit/query';

import { keelApi } from '../api/generated';
import authReducer, { saveSession } from '../features/auth/authSlice';
import liveReducer from '../live/liveSlice';
import uiReducer, { saveUi } from './uiSlice';

export function makeStore() {
  const store = configureStore({
    reducer: {
      auth: authReducer,
      ui: uiReducer,
      live: liveReducer,
      [keelApi.reducerPath]: keelApi.reducer,
    },
    middleware: (getDefault) => getDefault().concat(keelApi.middleware),
  });
  let last = store.getState();
  store.subscribe(() => {
    const next = store.getState();
    if (next.auth !== last.auth) saveSession(next.auth);
    if (next.ui.theme !== last.ui.theme || next.ui.accountId !== last.ui.accountId || next.ui.notices !== last.ui.notices)
      saveUi(next.ui);
    last = next;
  });
  setupListeners(store.dispatch);
  return store;
}

export type AppStore = ReturnType<typeof makeStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
