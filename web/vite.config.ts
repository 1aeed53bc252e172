import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** The built files worth compressing: text, over a kilobyte (below that the headers outweigh the saving). */
const compressible = /\.(js|mjs|css|html|svg|json)$/;
const minimumBytes = 1024;

/**
 * Writes a Brotli (`.br`) and a gzip (`.gz`) copy beside every compressible built file, once at build time, so the
 * platform sends the copy the browser accepts without compressing anything per request (src/Tweeling.Server/Hosting/
 * WebApp.cs). Brotli quality 9, not 11: within 10 % of 11's size on MapLibre's chunk at a tenth of its build time.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'tweeling-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => compressible.test(f));
      await Promise.all(
        files.map(async (file) => {
          const full = path.join(outDir, file);
          if ((await stat(full)).size < minimumBytes) {
            return;
          }
          const bytes = await readFile(full);
          await writeFile(`${full}.br`, await promisify(brotliCompress)(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
          await writeFile(`${full}.gz`, await promisify(gzip)(bytes, { level: 9 }));
        }),
      );
    },
  };
}

// The platform serves the built UI at / and its APIs on the same origin; the dev server proxies them to
// `./tweeling serve` so that `npm run dev` behaves the same.
const platform = process.env.TWEELING_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // MapLibre alone is about 1 MB minified, in a chunk of its own (the entry is small: src/main.ts).
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
