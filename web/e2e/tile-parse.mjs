// A load-robust measure of the work MapLibre's worker does on the map's overview tiles (issue 5's first view):
// every z13 tile over the city's extent of the collections drawn at start is decoded with @mapbox/vector-tile and pbf
// (MapLibre's own dependencies, as its worker decodes tiles), every feature's properties and geometry are read, and
// every polygon ring is triangulated with earcut (as MapLibre's fill and fill-extrusion buckets do). It reports the
// tiles' bytes, features and positions and the CPU time of this process (the least of --rounds rounds), so two servers
// compare on a busy machine, where wall-clock first views vary by a factor of two (docs/benchmarks.md). It is a part of
// the worker's work (no vertex buffers, extrusion walls or line joins), proportional to features and positions.
//
//   node web/e2e/tile-parse.mjs [--rounds 5] [--zoom 13] URL [URL …]   (the servers are measured round by round, interleaved)
//
// --zoom measures another tile matrix over the same extent (14: full detail, for the bytes per zoom of docs/tiles.md).
import { parseArgs } from 'node:util';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import earcut from 'earcut';

const { values: options, positionals: servers } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, zoom: { type: 'string', default: '13' } },
  allowPositionals: true,
});
const rounds = Number(options.rounds);
const zoom = Number(options.zoom);
if (servers.length === 0 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(zoom) || zoom < 13 || zoom > 16) {
  console.error('tile-parse: give one or more server URLs, --rounds as a whole number ≥ 1 and --zoom from 13 to 16.');
  process.exit(2);
}

/** The collections the map shows at start (web/src/layers.ts, visible and tiled). */
const collections = ['gemeenten', 'wijken', 'buurten', 'voorzieningen', 'panden', 'wegvakken', 'groenvlakken'];

/** Web Mercator tile column and row of a CRS84 position. */
function tileOf(longitude, latitude) {
  const n = 2 ** zoom;
  const y = (1 - Math.asinh(Math.tan((latitude * Math.PI) / 180)) / Math.PI) / 2;
  return [Math.floor(((longitude + 180) / 360) * n), Math.floor(y * n)];
}

/** Every tile at `zoom` of the collections over the city's extent (the panden's), as bytes. */
async function download(base) {
  const collection = await (await fetch(`${base}/ogc/collections/panden`)).json();
  const [west, south, east, north] = collection.extent.spatial.bbox[0];
  const [firstColumn, firstRow] = tileOf(west, north);
  const [lastColumn, lastRow] = tileOf(east, south);
  const tiles = [];
  for (const id of collections) {
    for (let column = firstColumn; column <= lastColumn; column++) {
      for (let row = firstRow; row <= lastRow; row++) {
        const response = await fetch(`${base}/ogc/collections/${id}/tiles/WebMercatorQuad/${zoom}/${row}/${column}`);
        if (!response.ok) {
          throw new Error(`${base}: tile ${id} ${zoom}/${row}/${column} answered ${response.status}`);
        }
        tiles.push({ id, body: new Uint8Array(await response.arrayBuffer()) });
      }
    }
  }
  return tiles;
}

/** One round over the tiles: CPU ms per collection, features and positions. */
function parse(tiles) {
  const cpuMs = Object.fromEntries(collections.map((id) => [id, 0]));
  const featuresOf = Object.fromEntries(collections.map((id) => [id, 0]));
  let features = 0;
  let positions = 0;
  for (const { id, body } of tiles) {
    if (body.length === 0) {
      continue;
    }
    const start = process.cpuUsage();
    const layer = new VectorTile(new PbfReader(body)).layers[id];
    for (let i = 0; i < layer.length; i++) {
      const feature = layer.feature(i);
      void feature.properties;
      const geometry = feature.loadGeometry();
      features++;
      featuresOf[id]++;
      for (const ring of geometry) {
        positions += ring.length;
        if (feature.type === 3) {
          earcut(ring.flatMap((p) => [p.x, p.y]));
        }
      }
    }
    const used = process.cpuUsage(start);
    cpuMs[id] += (used.user + used.system) / 1000;
  }
  return { cpuMs, featuresOf, features, positions, totalMs: Object.values(cpuMs).reduce((a, b) => a + b, 0) };
}

const sets = [];
for (const server of servers) {
  sets.push(await download(server));
}
const best = servers.map(() => null);
for (let round = 0; round < rounds; round++) {
  sets.forEach((tiles, k) => {
    const result = parse(tiles);
    if (best[k] === null || result.totalMs < best[k].totalMs) {
      best[k] = result;
    }
  });
}

const kBOf = (tiles) => Math.round(tiles.reduce((sum, t) => sum + t.body.length, 0) / 1024).toLocaleString('en-GB');
console.log(`| server | z${zoom} tiles | size | features | positions | CPU (least of ${rounds}) | of which ${collections.join(', ')} |`);
console.log('|---|---|---|---|---|---|---|');
servers.forEach((server, k) => {
  const b = best[k];
  console.log(`| ${server} | ${sets[k].length} | ${kBOf(sets[k])} kB | ${b.features.toLocaleString('en-GB')} | ${b.positions.toLocaleString('en-GB')} | ${Math.round(b.totalMs)} ms | ${collections.map((id) => Math.round(b.cpuMs[id])).join(', ')} ms |`);
});
console.log(`\n| server | per collection at z${zoom}: size (features) |\n|---|---|`);
servers.forEach((server, k) => {
  console.log(`| ${server} | ${collections.map((id) => `${id} ${kBOf(sets[k].filter((t) => t.id === id))} kB (${best[k].featuresOf[id].toLocaleString('en-GB')})`).join(', ')} |`);
});
