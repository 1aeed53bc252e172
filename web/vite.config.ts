import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { HtmlTagDescriptor, Plugin } from 'vite';
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

/**
 * Adds `<link rel="modulepreload">` to the built page for the map view's chunk and every chunk it imports (MapLibre's
 * 1 MB among them), so the browser fetches and compiles them while it runs the small entry, instead of after the entry
 * has run and asked for them (`import('./kaart')` in src/main.ts). The map is the start page (`#/kaart`); on another
 * route the chunks are fetched for nothing, at most 0.3 MB compressed. Issue 5 item 10, the first view's critical path
 * (docs/benchmarks.md "Web first view, map start-up (web-firstview4)").
 */
function preloadMapView(): Plugin {
  let base = '/';
  return {
    name: 'tweeling-preload-map-view',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context): HtmlTagDescriptor[] {
        const chunks = Object.values(context.bundle ?? {}).filter((output) => output.type === 'chunk');
        const mapView = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/kaart.ts'));
        if (!mapView) {
          throw new Error('tweeling-preload-map-view: the build has no chunk for src/kaart.ts (is it still imported dynamically by src/main.ts?).');
        }
        const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
        const needed = (file: string, into: Set<string>): Set<string> => {
          if (!into.has(file)) {
            into.add(file);
            for (const imported of byFile.get(file)?.imports ?? []) {
              needed(imported, into);
            }
          }
          return into;
        };
        // What the entry imports statically Vite preloads already.
        const entry = chunks.find((chunk) => chunk.isEntry);
        const already = entry ? needed(entry.fileName, new Set()) : new Set<string>();
        // Largest first: the browser starts them in this order, and MapLibre's chunk takes longest to fetch and compile.
        const files = [...needed(mapView.fileName, new Set())]
          .filter((file) => !already.has(file))
          .sort((a, b) => (byFile.get(b)?.code.length ?? 0) - (byFile.get(a)?.code.length ?? 0));
        return files.map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${file}` }, injectTo: 'head' }));
      },
    },
  };
}

// The platform serves the built UI at / and its APIs on the same origin; the dev server proxies them to
// `./tweeling serve` so that `npm run dev` behaves the same.
const platform = process.env.TWEELING_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preloadMapView(), precompress()],
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
