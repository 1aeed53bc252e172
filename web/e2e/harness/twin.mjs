// What every browser test shares: one running platform per test run (or per file when a test file is
// run on its own), a fresh Chromium per test, and questions put to the live MapLibre map through the
// `window.tweeling` test seam of the web UI contract (web/README.md).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { openBrowser } from './browser.mjs';
import { analistUserName, startServer, testUserRole } from './server.mjs';

/** The environment through which run.mjs hands its one server to every test file. */
export const environment = {
  url: 'TWEELING_E2E_URL',
  user: 'TWEELING_E2E_USER',
  password: 'TWEELING_E2E_PASSWORD',
  analistPassword: 'TWEELING_E2E_ANALIST_PASSWORD',
};

/** Loading the demo city over software WebGL on a shared 2-core machine: generous, the benchmark measures the real time. */
export const cityTimeoutMs = 60_000;

/**
 * The platform the tests in this file run against: the one run.mjs started (its address and test
 * account in the environment), or else one started for this file and stopped after it.
 * @returns {{ url: string, user: { name: string, password: string, role: string }, analist: { name: string, password: string, role: string } }}
 */
export function useTwin() {
  const twin = {};
  let server = null;
  before(async () => {
    if (process.env[environment.url]) {
      Object.assign(twin, {
        url: process.env[environment.url],
        user: { name: process.env[environment.user], password: process.env[environment.password], role: testUserRole },
        analist: { name: analistUserName, password: process.env[environment.analistPassword], role: 'analist' },
      });
    } else {
      server = await startServer();
      Object.assign(twin, { url: server.url, user: server.user, analist: server.analist });
    }
  }, { timeout: 300_000 });
  after(async () => {
    await server?.stop();
  });
  return twin;
}

/**
 * Opens a fresh Chromium on `route` of the twin's web UI (e.g. `#/kaart`) and closes it after the test.
 * @param {import('node:test').TestContext} t
 * @param {{ url: string }} twin
 * @param {string} route
 * @param {{ locale?: string }} [options]
 */
export async function visit(t, twin, route, options) {
  const browser = await openBrowser(options);
  t.after(() => browser.close());
  await browser.page.goto(`${twin.url}/${route}`);
  return browser;
}

/**
 * Creates a SensorThings entity (`path`, e.g. `Things` or `Observations`) as the signed-in test account (a
 * medewerker may write sensor data) and returns the new entity's id from the answer's Location.
 * @param {{ url: string, user: { name: string, password: string } }} twin
 * @param {string} path
 * @param {object} body
 * @returns {Promise<number>}
 */
export async function createSensorEntity(twin, path, body) {
  const credentials = Buffer.from(`${twin.user.name}:${twin.user.password}`).toString('base64');
  const answer = await fetch(`${twin.url}/sta/v1.1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${credentials}` },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  assert.equal(answer.status, 201, `POST ${path} was refused: ${text}`);
  return Number(/\((\d+)\)$/.exec(answer.headers.get('location') ?? '')?.[1]);
}

/**
 * A Thing at [lon, lat] with one Location and a Datastream per entry of `streams` (name, observed property, unit
 * symbol), each with a Sensor and ObservedProperty of its own; `properties` as given (e.g. the dataset it belongs to).
 */
export function thingWithDatastreams(name, [lon, lat], streams, properties) {
  return {
    name, description: `${name} (e2e)`, ...(properties ? { properties } : {}),
    Locations: [{ name, description: 'e2e', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [lon, lat] } }],
    Datastreams: streams.map(({ name: stream, observed, symbol }) => ({
      name: stream, description: `${stream} (e2e)`, observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
      unitOfMeasurement: { name: symbol, symbol, definition: `https://example.org/unit/${encodeURIComponent(symbol)}` },
      Sensor: { name: `${stream}-sensor`, description: 'e2e', encodingType: 'text/plain', metadata: 'e2e' },
      ObservedProperty: { name: observed, definition: `https://example.org/def/${observed}`, description: observed },
    })),
  };
}

/** Fails when the page threw an uncaught error or the browser refused something under the CSP. */
export function assertNoPageProblems(browser) {
  assert.deepEqual(browser.problems, [], 'the page reported errors');
}

/**
 * Waits until the map says it is ready (`#kaart[data-ready=true]`) and buildings of the demo city
 * (tile layer `panden`) are rendered; returns how many building features are rendered.
 * @param {import('playwright-core').Page} page
 */
export async function waitForCity(page) {
  const handle = await page.waitForFunction(() => {
    const map = window.tweeling?.map;
    if (document.querySelector('#kaart')?.dataset.ready !== 'true' || !map) {
      return false;
    }

    const buildings = map.queryRenderedFeatures().filter((f) => f.sourceLayer === 'panden').length;
    return buildings > 0 && buildings;
  }, null, { timeout: cityTimeoutMs, polling: 250 });
  return handle.jsonValue();
}

/**
 * How many features of the tile layer (collection) `sourceLayer` are rendered in the current view.
 * @param {import('playwright-core').Page} page
 * @param {string} sourceLayer
 */
export function renderedCount(page, sourceLayer) {
  return page.evaluate(
    (layer) => window.tweeling.map.queryRenderedFeatures().filter((f) => f.sourceLayer === layer).length,
    sourceLayer,
  );
}

/**
 * The colour each rendered building is drawn with, by feature id: the style's paint colour
 * (fill-extrusion-color, or fill-color for flat buildings) as MapLibre evaluates it for that feature,
 * its feature state included.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<Record<string, string>>}
 */
export function buildingColours(page) {
  return page.evaluate(() => {
    const colours = {};
    for (const feature of window.tweeling.map.queryRenderedFeatures()) {
      if (feature.sourceLayer !== 'panden') {
        continue;
      }

      const paint = feature.layer.paint ?? {};
      const colour = paint['fill-extrusion-color'] ?? paint['fill-color'];
      if (colour !== undefined) {
        colours[String(feature.id ?? feature.properties.id)] = JSON.stringify(colour);
      }
    }

    return colours;
  });
}

/**
 * A point in the map canvas (page coordinates) where a building is drawn on top, found by asking
 * the map what is rendered on a grid of points, and that building's id; `null` when none is in view.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ x: number, y: number, id: string } | null>}
 */
export async function findBuildingOnScreen(page) {
  const box = await page.locator('#kaart canvas').first().boundingBox();
  const hit = await page.evaluate(({ width, height }) => {
    // Start in the middle, where the view centres the city, and work outwards in 20 px steps.
    const points = [];
    for (let dy = 0; dy < height / 2; dy += 20) {
      for (let dx = 0; dx < width / 2; dx += 20) {
        points.push([width / 2 + dx, height / 2 + dy], [width / 2 - dx, height / 2 - dy]);
      }
    }

    for (const [x, y] of points) {
      // What a click there selects (the page's own hit test: the overview tiles carry a building's id as an
      // integer only): a point where a sensor or a facility is drawn over the building would not do.
      const top = window.tweeling.featureAt([x, y]);
      if (top?.collection === 'panden') {
        return { x, y, id: top.id };
      }
    }

    return null;
  }, { width: box.width, height: box.height });
  return hit && { x: box.x + hit.x, y: box.y + hit.y, id: hit.id };
}
