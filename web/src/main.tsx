import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';

import App from './App';
import { makeStore } from './app/store';
import './i18n';
import './index.css';
import { createLive } from './live';
import './live/endpoints';

const store = makeStore();
createLive(store);
// The theme before the first paint, so a dark-theme user never sees a white flash.
document.documentElement.classList.toggle('dark', store.getState().ui.theme === 'dark');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider store={store}>
      <Suspense fallback={null}>
        <App />
      </Suspense>
    </Provider>
  </StrictMode>,
);
