import { defineConfig } from 'vitest/config';

// The platform serves the built UI at / and its APIs on the same origin; the dev server proxies them to
// `./tweeling serve` so that `npm run dev` behaves the same.
const platform = process.env.TWEELING_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // MapLibre alone is about 1 MB minified; one chunk per page load is what we want here.
    chunkSizeWarningLimit: 1600,
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': platform,
      '/ogc': platform,
      '/sta': platform,
      '/config.json': platform,
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
