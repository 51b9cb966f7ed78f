import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** One HTML entry per page (Vite multi-page app). Keep in sync with NAV_ITEMS and ACCOUNT_PAGES in src/ui/shell.ts. */
const pages = {
  index: 'index.html',
  racing: 'racing.html',
  plate: 'plate.html',
  'food-log': 'food-log.html',
  'pin-dexcom': 'pin-dexcom.html',
  trends: 'trends.html',
  leaderboards: 'leaderboards.html',
  signin: 'signin.html',
  signup: 'signup.html',
  profile: 'profile.html',
} as const;

/** Where `npm run dev` / `npm run preview` forward /api (a locally running `glucoplay serve`). */
const devApi = process.env['GLUCOPLAY_API'] ?? 'http://127.0.0.1:8520';

/**
 * Dev and preview servers only: answer /config.json with a same-origin api_base and proxy /api to the real
 * server, so no CORS setup is needed while developing. In production the C++ web listener (or nginx) serves
 * /config.json; nothing here ends up in dist/.
 */
function devConfigJson(): Plugin {
  const body = JSON.stringify({ api_base: '' });
  const handler = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void): void => {
    if (req.url?.split('?')[0] !== '/config.json') return next();
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  };
  return {
    name: 'glucoplay-dev-config-json',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}

export default defineConfig({
  root,
  // Absolute asset URLs: the C++ web listener answers unknown paths with index.html (SPA fallback),
  // so relative asset paths would break on nested URLs.
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    rollupOptions: {
      input: Object.fromEntries(
        Object.entries(pages).map(([name, file]) => [name, resolve(root, file)]),
      ),
    },
  },
  plugins: [devConfigJson()],
  server: { port: 5173, proxy: { '/api': { target: devApi, changeOrigin: true } } },
  preview: { port: 4999, proxy: { '/api': { target: devApi, changeOrigin: true } } },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
