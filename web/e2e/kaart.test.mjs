// The map view (#/kaart) over the demo city in a real browser: it loads, layers toggle, buildings
// recolour, a click opens the panel with lineage, and the map's content is a table too. Every state
// tested is checked with axe-core (WCAG 2.1 A/AA) and kept as a screenshot in TestResults/e2e/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { openBrowser } from './harness/browser.mjs';
import {
  assertNoPageProblems, buildingColours, cityTimeoutMs, findBuildingOnScreen, renderedCount, useTwin, visit, waitForCity,
} from './harness/twin.mjs';

const twin = useTwin();

/** The lineage the click panel must show for any feature (Dutch first; web/README.md). */
const lineageTerms = ['Dataset', 'Eigenaar', 'Laatst bijgewerkt', 'Classificatie'];

/** The panel's definition lists (its data and its lineage) as [term, description] pairs. */
function detailsTerms(page) {
  return page.locator('aside#details').evaluate((aside) => [...aside.querySelectorAll('dl dt')]
    .map((dt) => [dt.textContent.trim(), dt.nextElementSibling?.textContent.trim() ?? '']));
}

/** Waits until the panel shows the lineage term `term` (its last term, so the lineage has been read). */
function waitForLineage(page, term) {
  return page.waitForFunction(
    (last) => [...document.querySelectorAll('aside#details dl dt')].some((dt) => dt.textContent.trim() === last),
    term,
    { timeout: cityTimeoutMs },
  );
}

test('the demo city loads: the map is ready and buildings are rendered, in Dutch, with a skip link', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;

  const buildings = await waitForCity(page);

  assert.ok(buildings > 0, 'no building of the demo city is rendered');
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal(await page.locator('a[href="#inhoud"]').count(), 1, 'no skip link to the main content');
  assert.equal(await page.locator('main#inhoud').count(), 1);
  await saveScreenshot(page, 'kaart-geladen');
  await assertNoAxeViolations(page, 'map loaded');
  assertNoPageProblems(browser);
});

test('the first view is the buildings, roads and boundaries: land use and facilities are asked for once it is in, then drawn', async (t) => {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page } = browser;
  // Per secondary collection (web/src/layers.ts `afterFirstView`): whether #kaart said it was ready when its first tile
  // was asked for. MapLibre's worker asks for tiles; the browser's network events see those requests too.
  const readyAtFirstTile = {};
  page.on('request', (request) => {
    const collection = /\/ogc\/collections\/(groenvlakken|voorzieningen)\/tiles\//.exec(request.url())?.[1];
    if (collection && !(collection in readyAtFirstTile)) {
      readyAtFirstTile[collection] = page.evaluate(() => document.querySelector('#kaart')?.dataset.ready ?? 'no');
    }
  });
  await page.goto(`${twin.url}/#/kaart`);
  await waitForCity(page);
  await page.waitForFunction(
    () => ['groenvlakken', 'voorzieningen'].every((layer) => window.tweeling.map.queryRenderedFeatures().some((f) => f.sourceLayer === layer)),
    null,
    { timeout: cityTimeoutMs, polling: 250 },
  );

  assert.deepEqual(Object.keys(readyAtFirstTile).sort(), ['groenvlakken', 'voorzieningen']);
  for (const [collection, ready] of Object.entries(readyAtFirstTile)) {
    assert.equal(await ready, 'true', `${collection}'s first tile was asked for before the first view was in`);
  }
  assert.ok(await page.locator('input[data-laag="groenvlakken"]').isChecked(), 'the land use layer is not shown as on');
  assertNoPageProblems(browser);
});

/**
 * The map's background colour (web/src/layers.ts `mapColours.background`, #f2efe9): the colour of the map's container,
 * which shows through the canvas wherever it draws nothing (the style has no `background` layer).
 */
const mapBackground = [0xf2, 0xef, 0xe9];

/**
 * What the map canvas shows, from a screenshot of its left part (clear of the navigation control and the attribution
 * at the right): the share of pixels in the map's background colour, and the share in any other colour (roads,
 * boundaries, buildings). Decoded by the page's own image decoder.
 * @param {import('playwright-core').Page} page
 */
async function canvasShares(page) {
  const box = await page.locator('#kaart canvas').first().boundingBox();
  const png = await page.screenshot({ clip: { x: box.x, y: box.y, width: Math.floor(box.width * 0.6), height: box.height } });
  return page.evaluate(async ({ base64, background }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    const near = (i, [r, g, b]) => Math.abs(data[i] - r) <= 2 && Math.abs(data[i + 1] - g) <= 2 && Math.abs(data[i + 2] - b) <= 2;
    let inBackground = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (near(i, background)) {
        inBackground++;
      }
    }
    const pixels = data.length / 4;
    return { background: inBackground / pixels, drawn: 1 - inBackground / pixels };
  }, { base64: png.toString('base64'), background: mapBackground });
}

test('a first-view tile that does not come does not keep the map blank: the rest is drawn, and the view completes once it comes', async (t) => {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page } = browser;
  // The first buildings tile asked for is held back until released; every other request goes on as usual.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let holding;
  const held = new Promise((resolve) => { holding = resolve; });
  let heldUrl = null;
  await page.route(/\/ogc\/collections\/panden\/tiles\//, async (route) => {
    if (heldUrl !== null) {
      await route.continue();
      return;
    }
    heldUrl = route.request().url();
    holding(heldUrl);
    await released;
    await route.continue().catch(() => undefined);
  });
  // The held request must stay open: were it cancelled, the view could complete without it and prove nothing.
  let heldFailed = null;
  page.on('requestfailed', (request) => {
    if (request.url() === heldUrl) {
      heldFailed = request.failure()?.errorText ?? 'failed';
    }
  });
  await page.goto(`${twin.url}/#/kaart`);
  const noTile = new Promise((resolve) => { setTimeout(resolve, cityTimeoutMs, null).unref(); });
  assert.ok(await Promise.race([held, noTile]), 'no buildings tile was asked for');
  await page.waitForFunction(() => performance.getEntriesByName('tweeling:kaart-gemaakt').length > 0, null, { timeout: cityTimeoutMs });
  // The colour behind the canvas where it has drawn nothing (what a user sees of a blank map, and between what the map
  // draws): the first opaque background from the canvas up is the map's background colour.
  const behindCanvas = await page.evaluate(() => {
    for (let element = document.querySelector('#kaart canvas'); element; element = element.parentElement) {
      const [r, g, b, a = 1] = getComputedStyle(element).backgroundColor.match(/[\d.]+/g).map(Number);
      if (a > 0) {
        return [r, g, b];
      }
    }
    return [255, 255, 255];
  });
  assert.deepEqual(behindCanvas, mapBackground, 'the map does not show its background colour behind the canvas');

  // Until the deadline (web/src/twinmap.ts `firstViewWholeDeadlineMs`, 5 s after the map is made) the map draws
  // nothing while it waits for the held tile; after it, the roads and boundaries that are in, on the background.
  // Bounded, not timed: without the deadline it never draws while the tile is held.
  let shares = { background: 0, drawn: 0 };
  const until = Date.now() + cityTimeoutMs;
  while (Date.now() < until) {
    shares = await canvasShares(page);
    if (shares.background > 0.1 && shares.drawn > 0.01) {
      break;
    }
    await new Promise((resolve) => { setTimeout(resolve, 250); });
  }
  const drawnAfterMs = await page.evaluate(() => performance.now() - performance.getEntriesByName('tweeling:kaart-gemaakt')[0].startTime);
  assert.ok(shares.background > 0.1 && shares.drawn > 0.01,
    `the map is still blank while one tile is held (background ${(shares.background * 100).toFixed(1)} %, drawn ${(shares.drawn * 100).toFixed(1)} % of the canvas)`);
  assert.notEqual(await page.getAttribute('#kaart', 'data-ready'), 'true', 'the map said it was ready while a tile of its first view was missing');
  t.diagnostic(`drawn with a tile held ${Math.round(drawnAfterMs)} ms after the map was made (${heldUrl})`);
  assert.equal(heldFailed, null, `the held tile's request ended while it was held: ${heldFailed}`);
  await saveScreenshot(page, 'kaart-tegel-achtergehouden');

  release();
  const buildings = await waitForCity(page);
  assert.ok(buildings > 0, 'no building is rendered once the held tile came');
  assertNoPageProblems(browser);
});

test('the first view asks the platform for each thing once: the alerts and their recent history in one read', async (t) => {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page } = browser;
  // Every request of the page to the platform but tiles, scripts and the live stream, in the order asked.
  const asked = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (/^\/(api\/v1|ogc|config\.json)/.test(url.pathname) && !url.pathname.includes('/tiles/') && url.pathname !== '/api/v1/live') {
      asked.push(url.pathname + url.search);
    }
  });
  await page.goto(`${twin.url}/#/kaart`);
  await waitForCity(page);
  // The live lists are loaded once the stream is open and the alerts are read (web/src/live/view.ts).
  await page.waitForFunction(() => document.querySelector('#alarmen li') !== null && !document.querySelector('#live')?.hasAttribute('aria-busy'), null, { timeout: cityTimeoutMs });

  const alarmReads = asked.filter((r) => r.startsWith('/api/v1/alarmen'));
  assert.deepEqual(alarmReads, ['/api/v1/alarmen?limit=20&metActief=true'], `the alerts were read ${alarmReads.length} times: ${alarmReads.join(', ')}`);
  const twice = asked.filter((r, i) => asked.indexOf(r) !== i);
  assert.deepEqual(twice, [], `asked for more than once: ${twice.join(', ')}`);
  assertNoPageProblems(browser);
});

test('the map\'s scripts are asked for from the page\'s head, before the entry runs', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);

  // web/vite.config.ts `preloadMapView`: MapLibre's chunk is asked for by the page itself, before the entry has run.
  const { preloaded, maplibreStart, entryStart } = await page.evaluate(() => ({
    preloaded: [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => new URL(l.href).pathname),
    maplibreStart: performance.getEntriesByType('resource').find((r) => /\/assets\/maplibre-gl-[^/]*\.js$/.test(new URL(r.name).pathname))?.startTime,
    entryStart: performance.getEntriesByName('tweeling:start')[0]?.startTime,
  }));
  assert.ok(preloaded.some((p) => /^\/assets\/maplibre-gl-[^/]*\.js$/.test(p)), `no modulepreload of MapLibre's chunk in the page: ${preloaded.join(', ')}`);
  assert.ok(maplibreStart !== undefined && entryStart !== undefined && maplibreStart < entryStart, `MapLibre's chunk was asked for at ${maplibreStart} ms, not before the entry ran (${entryStart} ms)`);
  assertNoPageProblems(browser);
});

test('layers toggle by keyboard: the buildings layer hides and shows again; the domains are grouped', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);
  const domains = await page.locator('fieldset[data-domein]').evaluateAll((all) => all
    .filter((f) => f.querySelector('legend') && f.querySelector('input[type=checkbox][data-laag]'))
    .map((f) => f.dataset.domein));
  assert.deepEqual(domains.sort(), ['beheer', 'fysiek', 'milieu', 'mobiliteit', 'sensoren', 'sociaal'], 'one fieldset with a legend and layer toggles per domain');

  const buildings = page.locator('input[type=checkbox][data-laag="panden"]');
  assert.ok(await buildings.isChecked(), 'the buildings layer is not on at the start');
  await buildings.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.tweeling.map.queryRenderedFeatures().every((f) => f.sourceLayer !== 'panden'), null, { timeout: cityTimeoutMs });
  assert.equal(await renderedCount(page, 'panden'), 0);
  await saveScreenshot(page, 'kaart-panden-uit');
  await assertNoAxeViolations(page, 'buildings layer off');

  await page.keyboard.press('Space');
  await waitForCity(page);
  assert.ok(await renderedCount(page, 'panden') > 0, 'the buildings did not come back');
  assertNoPageProblems(browser);
});

test('recolouring by another indicator changes the colours of the rendered buildings and the legend', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);
  const choice = page.locator('select#kleur-indicator');
  const current = await choice.inputValue();
  const options = await choice.locator('option').evaluateAll((all) => all.map((o) => o.value).filter((v) => v !== ''));
  const other = options.find((v) => v !== current);
  assert.ok(other, `#kleur-indicator offers no other indicator than '${current}'`);
  const coloursBefore = await buildingColours(page);
  const legendBefore = await page.locator('#legenda').innerText();
  const pixelsBefore = await page.locator('#kaart').screenshot();

  const ms = await page.evaluate((indicator) => window.tweeling.recolour(indicator), other);

  assert.equal(typeof ms, 'number');
  const coloursAfter = await buildingColours(page);
  const compared = Object.keys(coloursBefore).filter((id) => id in coloursAfter);
  const changed = compared.filter((id) => coloursBefore[id] !== coloursAfter[id]);
  assert.ok(compared.length > 0, 'no building could be compared before and after');
  assert.ok(changed.length > 0, `none of ${compared.length} rendered buildings changed colour`);
  assert.ok(!pixelsBefore.equals(await page.locator('#kaart').screenshot()), 'the map looks the same after recolouring');
  assert.notEqual(await page.locator('#legenda').innerText(), legendBefore, 'the legend did not change');
  await saveScreenshot(page, 'kaart-herkleurd');
  await assertNoAxeViolations(page, 'recoloured');

  // The same through the control a visitor uses: choosing the first indicator again restores its legend.
  await choice.selectOption(current);
  await page.waitForFunction((text) => document.querySelector('#legenda').innerText === text, legendBefore, { timeout: cityTimeoutMs });
  assertNoPageProblems(browser);
});

test('a click on a building opens the panel with its data and lineage', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);
  const building = await findBuildingOnScreen(page);
  assert.ok(building, 'no building in view to click');

  await page.mouse.click(building.x, building.y);

  await waitForLineage(page, 'Classificatie');
  const terms = await detailsTerms(page);
  for (const term of lineageTerms) {
    const pair = terms.find(([dt]) => dt === term);
    assert.ok(pair, `the panel has no '${term}'; it has ${terms.map(([dt]) => dt).join(', ')}`);
    assert.notEqual(pair[1], '', `'${term}' is empty`);
  }

  // The panel names the object it shows under its heading ("Panden · Id …"), not as a term of its data.
  const panel = await page.locator('aside#details').innerText();
  assert.ok(panel.includes(building.id), `the panel does not show the clicked building ${building.id}`);
  await saveScreenshot(page, 'kaart-details');
  await assertNoAxeViolations(page, 'details panel open');
  assertNoPageProblems(browser);
});

test('the map content is also a table with a caption', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);
  const table = page.locator('table#tabel');
  await table.scrollIntoViewIfNeeded();

  assert.notEqual((await table.locator('caption').innerText()).trim(), '');
  await page.waitForFunction(() => document.querySelectorAll('#tabel tbody tr').length > 0, null, { timeout: cityTimeoutMs });
  assert.ok(await table.locator('thead th').count() > 0, 'the table has no column headers');
  await saveScreenshot(page, 'kaart-tabel');
  await assertNoAxeViolations(page, 'table alternative');
  assertNoPageProblems(browser);
});

test('the language switch turns the page and the panel into English', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);

  await page.locator('button#taal').click();

  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const building = await findBuildingOnScreen(page);
  assert.ok(building, 'no building in view to click');
  await page.mouse.click(building.x, building.y);
  await waitForLineage(page, 'Classification');
  const terms = (await detailsTerms(page)).map(([dt]) => dt);
  for (const term of ['Dataset', 'Owner', 'Last updated', 'Classification']) {
    assert.ok(terms.includes(term), `the English panel has no '${term}'; it has ${terms.join(', ')}`);
  }

  await saveScreenshot(page, 'kaart-engels');
  await assertNoAxeViolations(page, 'English');
  assertNoPageProblems(browser);
});
