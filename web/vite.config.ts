/// <reference types="vitest/config" />
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` serves the app on :5173 and forwards the API and the WebSocket to `make run`'s server.
const api = process.env.KEEL_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: {
      '/api/v1/ws': { target: api.replace(/^http/, 'ws'), ws: true },
      '/api': api,
      '/problems': api,
      '/docs': api,
    },
  },
  // The budget that matters is scripts/size.mjs (the initial JavaScript, gzip); this only quiets Vite.
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 600 },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    css: false,
  },
});
