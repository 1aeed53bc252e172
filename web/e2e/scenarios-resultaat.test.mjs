// The scenario results view (#/scenarios/resultaat) against the real platform: two scenarios made over the API by
// the test analist (2,000 flats at the demo city's station area, and trees planted beside it), run on the server,
// then read in the browser by the signed-in medewerker: the delta map and its legend and table, a buurt's values,
// another indicator, the impact matrix, two scenarios side by side with one camera and one set of classes, a shared
// link that reproduces the view in a fresh browser, and the HTML report. axe-core on every state; screenshots.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { openBrowser } from './harness/browser.mjs';
import { assertNoPageProblems, useTwin, visit } from './harness/twin.mjs';

const twin = useTwin();

/** A full run of the demo city takes about 8 s on an idle machine and far longer on a loaded one: generous. */
const runTimeoutMs = 600_000;

/** The results view's maps drawn and coloured (`data-ready`), after the runs were read. */
const viewTimeoutMs = 240_000;

/**
 * RD New (EPSG:28992) to WGS84 longitude and latitude by the approximation of Schreutelkamp and Strang van Hees
 * ("Benaderingsformules voor de transformatie tussen RD- en WGS84-kaartcoördinaten", 2001; about 1 m within the
 * Netherlands), so the test can send the documented RD rectangle as a client sends CRS84.
 */
function rdToCrs84(x, y) {
  const dx = (x - 155_000) * 1e-5;
  const dy = (y - 463_000) * 1e-5;
  const k = [[0, 1, 3235.65389], [2, 0, -32.58297], [0, 2, -0.2475], [2, 1, -0.84978], [0, 3, -0.0655], [2, 2, -0.01709], [1, 0, -0.00738], [4, 0, 0.0053], [2, 3, -0.00039], [4, 1, 0.00033], [1, 1, -0.00012]];
  const l = [[1, 0, 5260.52916], [1, 1, 105.94684], [1, 2, 2.45656], [3, 0, -0.81885], [1, 3, 0.05594], [3, 1, -0.05607], [0, 1, 0.01199], [3, 2, -0.00256], [1, 4, 0.00128], [0, 2, 0.00022], [2, 0, -0.00022], [5, 0, 0.00026]];
  const sum = (terms) => terms.reduce((total, [p, q, c]) => total + c * dx ** p * dy ** q, 0);
  return [5.38720621 + sum(l) / 3600, 52.1551744 + sum(k) / 3600];
}

/** A CRS84 polygon of the RD rectangle x0–x1, y0–y1. */
function rdRectangle(x0, x1, y0, y1) {
  const ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]].map(([x, y]) => rdToCrs84(x, y));
  return { type: 'Polygon', coordinates: [ring] };
}

/** A request of the test analist (the lowest role that writes and runs scenarios); resolves with status and body. */
async function asAnalyst(method, path, body) {
  const credentials = Buffer.from(`${twin.analist.name}:${twin.analist.password}`).toString('base64');
  const answer = await fetch(`${twin.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Basic ${credentials}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(runTimeoutMs),
  });
  const text = await answer.text();
  return { status: answer.status, body: text ? JSON.parse(text) : null, text };
}

const scenarios = {};
let made = null;

/**
 * Makes and runs the two scenarios once, for the first test that asks. Not in a top-level `before`: run on its own
 * under Node 20, this file's hook ran before the harness's had started the platform (the analist was still unset).
 */
function madeScenarios() {
  made ??= makeScenarios();
  return made;
}

async function makeScenarios() {
  const station = { naam: 'E2E Stationsgebied 2000 woningen', peildatum: '2024-01-01', ingrepen: [
    { soort: 'woningen-toevoegen', gebied: rdRectangle(104_900, 105_300, 424_250, 424_550), aantal: 2000, woningtype: 'appartement', eigendom: 'sociale-huur' },
  ] };
  const green = { naam: 'E2E Bomen naast het station', peildatum: '2024-01-01', ingrepen: [
    { soort: 'groen-toevoegen', gebied: rdRectangle(105_300, 105_600, 424_250, 424_550), groensoort: 'bomen' },
  ] };
  for (const [key, body] of [['station', station], ['green', green]]) {
    const created = await asAnalyst('POST', '/api/v1/scenarios', body);
    assert.equal(created.status, 201, `POST /api/v1/scenarios was refused: ${created.text}`);
    scenarios[key] = { id: created.body.id, versie: created.body.versie, naam: body.naam };
  }
  // Run both once on the server (the deliberate, audited action), so the browser reads results rather than waits.
  for (const scenario of Object.values(scenarios)) {
    const run = await asAnalyst('POST', `/api/v1/scenarios/${scenario.id}/versies/${scenario.versie}/doorrekening`);
    assert.ok(run.status === 201 || run.status === 200, `the run of ${scenario.naam} failed: ${run.text}`);
  }
}

const ref = (scenario) => `${scenario.id}:${scenario.versie}`;

/** Signs in through the page's form as the test medewerker (every signed-in role reads scenarios), by keyboard. */
async function signIn(page) {
  const form = page.locator('form#inloggen');
  await form.locator('[name=gebruikersnaam]').fill(twin.user.name);
  await form.locator('[name=wachtwoord]').fill(twin.user.password);
  await form.locator('[name=wachtwoord]').press('Enter');
  await page.waitForFunction(() => document.querySelector('#rol')?.dataset.rol === 'medewerker', null, { timeout: 30_000 });
}

/** Waits for the maps to be drawn and coloured; returns how many buurt polygons each map renders. */
async function waitForResults(page) {
  await page.locator('.resultaat-kaarten[data-ready=true]').waitFor({ timeout: viewTimeoutMs });
  return page.evaluate(() => window.tweelingResultaat.maps.map((map) => map.queryRenderedFeatures({ layers: ['resultaat-vlak'] }).length));
}

/** The table's rows as { code, cells }, the class cell last. */
function tableRows(page) {
  return page.$$eval('#resultaat-tabel tbody tr', (rows) => rows.map((row) => ({ code: row.dataset.gebied, cells: [...row.querySelectorAll('td')].map((td) => td.textContent.trim()) })));
}

/** The fill colour each rendered buurt is drawn with (MapLibre's paint evaluated for that feature), as JSON. */
function renderedColours(page, index) {
  return page.evaluate((k) => {
    const colours = {};
    for (const feature of window.tweelingResultaat.maps[k].queryRenderedFeatures({ layers: ['resultaat-vlak'] })) {
      colours[feature.properties.gebied] = JSON.stringify(feature.layer.paint['fill-color']);
    }
    return colours;
  }, index);
}

test('a run’s delta map, legend, table, buurt values, another indicator and the impact matrix', { timeout: runTimeoutMs * 2 + viewTimeoutMs * 3 }, async (t) => {
  await madeScenarios();
  const browser = await visit(t, twin, `#/scenarios/resultaat?scenario=${ref(scenarios.station)}`);
  const { page } = browser;
  // The public sees no scenarios: the view says so and offers the sign-in.
  await page.locator('.resultaat-aanmelden').waitFor({ timeout: 60_000 });
  assert.match(await page.locator('.resultaat-aanmelden').innerText(), /inloggen/);
  await saveScreenshot(page, 'scenarioresultaat-publiek');
  await assertNoAxeViolations(page, 'scenario results, public');

  await signIn(page);
  const rendered = await waitForResults(page);
  assert.ok(rendered[0] > 0, 'no buurt of the delta layer is rendered');
  assert.match(await page.locator('h1').innerText(), /E2E Stationsgebied 2000 woningen/);
  const first = new URLSearchParams(page.url().split('?')[1]).get('indicator');
  assert.ok(first, 'the hash does not name the indicator shown');

  // The legend: seven classes symmetric around 0 and "no value", with the unit and the judgement in words.
  const legend = await page.$$eval('#resultaat-legenda li', (items) => items.map((i) => i.textContent));
  assert.equal(legend.length, 8, `the legend has ${legend.length} rows: ${legend.join(' | ')}`);
  assert.ok(legend.some((l) => /beter|slechter|niet beoordeeld/.test(l)), 'the legend does not say which way is better');
  // The table: every buurt; some change (the default indicator is the one that moves most).
  const rows = await tableRows(page);
  assert.ok(rows.length > 5, `the table has ${rows.length} rows`);
  const changed = rows.filter((r) => r.cells[3] !== '0' && r.cells[3] !== '—');
  assert.ok(changed.length > 0, 'no buurt changes in the table');
  // The map draws the classes: more than one fill colour among the rendered buurten.
  assert.ok(new Set(Object.values(await renderedColours(page, 0))).size > 1, 'every rendered buurt has the same colour');

  // A buurt from the table: the panel shows its baseline, scenario and change.
  await page.locator(`#resultaat-tabel tr[data-gebied="${changed[0].code}"] button`).click();
  await page.locator(`#resultaat-buurt table[data-gebied="${changed[0].code}"]`).waitFor();
  assert.match(await page.locator('#resultaat-buurt').innerText(), /Basis[\s\S]*Scenario[\s\S]*Verandering/);

  // The impact matrix: five domains, each indicator with direction, judgement and certainty in words.
  const domains = await page.$$eval('#impactmatrix tbody', (bodies) => bodies.map((b) => ({ domain: b.dataset.domein, moves: b.dataset.beweegt })));
  assert.deepEqual(domains.map((d) => d.domain), ['sociaal', 'fysiek', 'mobiliteit', 'milieu', 'beheer']);
  assert.ok(domains.some((d) => d.moves === 'true'), 'no domain moves for 2,000 new dwellings');
  assert.match(await page.locator('#impactmatrix caption').innerText(), /Impactmatrix/);
  assert.match(await page.locator('#impactmatrix tr[data-indicator="inwoners"]').innerText(), /hoger/);
  await page.locator('.resultaat-kaarten').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'scenarioresultaat-station');
  await assertNoAxeViolations(page, 'scenario results with a buurt chosen');

  // Another indicator, of another domain (NO2, which has a grid): the hash, the picker, the legend and the map follow.
  const second = first === 'no2' ? 'inwoners' : 'no2';
  await page.locator('#resultaat-domein').selectOption(second === 'no2' ? 'milieu' : 'sociaal');
  await page.locator('#resultaat-indicator').selectOption(second);
  await page.waitForFunction((wanted) => new URLSearchParams(location.hash.split('?')[1]).get('indicator') === wanted, second);
  assert.equal(await page.locator('#resultaat-indicator').inputValue(), second);
  if (second === 'no2') {
    // The 25 m grid drawn over the buurten, and the legend saying so.
    await page.waitForFunction(() => window.tweelingResultaat.maps[0].getLayer('resultaat-raster') !== undefined, null, { timeout: viewTimeoutMs });
    await page.locator('#resultaat-legenda .resultaat-rasternoot:not([hidden])').waitFor();
  }
  const legendTitle = await page.locator('#resultaat-legenda .legenda-naam').innerText();
  const option = await page.locator(`#resultaat-indicator option[value="${second}"]`).innerText();
  assert.ok(option.startsWith(legendTitle.replace(/^Verandering van (.*) per buurt$/, '$1')), `the legend (${legendTitle}) does not name ${option}`);
  await page.locator('.resultaat-kaarten').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'scenarioresultaat-ander-indicator');
  await assertNoAxeViolations(page, 'scenario results, another indicator');

  // A click on a buurt on the map opens its values, as its button in the table does.
  const box = await page.locator('.resultaat-kaart canvas').first().boundingBox();
  const hit = await page.evaluate(({ width, height }) => {
    const map = window.tweelingResultaat.maps[0];
    for (let dy = 0; dy < height / 2; dy += 15) {
      for (const [x, y] of [[width / 2, height / 2 + dy], [width / 2, height / 2 - dy]]) {
        const code = map.queryRenderedFeatures([x, y], { layers: ['resultaat-vlak'] })[0]?.properties.gebied;
        if (code) {
          return { x, y, code };
        }
      }
    }
    return null;
  }, { width: box.width, height: box.height });
  assert.ok(hit, 'no buurt under the middle of the map');
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
  await page.locator(`#resultaat-buurt table[data-gebied="${hit.code}"]`).waitFor();

  // In English: the view's texts follow the language switch, the maps are drawn again.
  await page.locator('#taal').click();
  await page.waitForFunction(() => /^Scenario results/.test(document.querySelector('h1')?.textContent ?? ''));
  await page.locator('.resultaat-kaarten[data-ready=true]').waitFor({ timeout: viewTimeoutMs });
  assert.match(await page.locator('#impactmatrix caption').innerText(), /Impact matrix/);
  assert.equal(await page.locator('#resultaat-indicator').inputValue(), second);
  await assertNoAxeViolations(page, 'scenario results in English');
  await page.locator('#taal').click();
  await page.waitForFunction(() => /^Scenarioresultaat/.test(document.querySelector('h1')?.textContent ?? ''));

  // The HTML report, downloaded with the signed-in credentials.
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: viewTimeoutMs }), page.locator('#resultaat-rapport').click()]);
  const report = await readFile(await download.path(), 'utf8');
  assert.match(report, /<html lang="nl"/);
  assert.match(report, /E2E Stationsgebied 2000 woningen/);
  assertNoPageProblems(browser);
});

test('two scenarios side by side, and a shared link that reproduces the view in a fresh browser', { timeout: runTimeoutMs * 2 + viewTimeoutMs * 4 }, async (t) => {
  await madeScenarios();
  const route = `#/scenarios/resultaat?scenario=${ref(scenarios.station)}&vergelijk=${ref(scenarios.green)}&indicator=inwoners`;
  const browser = await visit(t, twin, route);
  const { page } = browser;
  await page.locator('form#inloggen').waitFor();
  await signIn(page);
  const rendered = await waitForResults(page);
  assert.equal(rendered.length, 2, 'the comparison does not show two maps');
  assert.ok(rendered.every((n) => n > 0), `a map renders no buurt: ${rendered}`);
  const captions = await page.$$eval('.resultaat-kaartnaam', (items) => items.map((i) => i.textContent));
  assert.match(captions[0], /^A: E2E Stationsgebied/);
  assert.match(captions[1], /^B: E2E Bomen/);

  // One set of classes for both maps: a buurt with the same change has the same colour on both.
  const [colourA, colourB] = [await renderedColours(page, 0), await renderedColours(page, 1)];
  const rows = await tableRows(page);
  const unchanged = rows.filter((r) => r.cells[4] === '0' && r.cells[5] === '0' && colourA[r.code] && colourB[r.code]);
  assert.ok(unchanged.length > 0, 'no buurt unchanged in both');
  for (const row of unchanged) {
    assert.equal(colourA[row.code], colourB[row.code], `buurt ${row.code} changes in neither, yet its colours differ`);
  }
  // And the colours differ where the changes do: A adds inhabitants at the station, B none.
  assert.ok(rows.some((r) => r.cells[4] !== '0' && r.cells[5] === '0' && colourA[r.code] && colourA[r.code] !== colourB[r.code]), 'no buurt that changes in A alone is coloured differently');
  assert.ok(rows.some((r) => r.cells[4] !== '0' && r.cells[4] !== '—'), 'A adds no inhabitants anywhere');

  // One camera: moving A moves B.
  await page.evaluate(() => {
    const [a] = window.tweelingResultaat.maps;
    a.jumpTo({ center: [a.getCenter().lng + 0.01, a.getCenter().lat + 0.005], zoom: a.getZoom() + 0.5 });
  });
  const [centreA, centreB] = await page.evaluate(() => window.tweelingResultaat.maps.map((m) => [m.getCenter().lng, m.getCenter().lat, m.getZoom()]));
  centreA.forEach((v, i) => assert.ok(Math.abs(v - centreB[i]) < 1e-9, `the maps' cameras differ: ${centreA} against ${centreB}`));

  // The comparison table of /api/v1/scenarios/vergelijking: both scenarios, the municipality per indicator.
  const header = await page.locator('#vergelijking thead').innerText();
  assert.match(header, /A: E2E Stationsgebied[\s\S]*B: E2E Bomen/);
  assert.ok((await page.locator('#vergelijking tbody tr[data-indicator]').count()) > 10);
  assert.match(await page.locator('#vergelijking tr[data-indicator="inwoners"]').innerText(), /\+/);
  await page.locator('.resultaat-kaarten').scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'scenarioresultaat-vergelijking');
  await assertNoAxeViolations(page, 'two scenarios compared');

  // Share: the link is shown (and copied where the browser allows) and carries scenario, comparison, indicator and camera.
  await page.waitForFunction(() => /kaart=/.test(location.hash), null, { timeout: 30_000 });
  await page.locator('#resultaat-deel').click();
  await page.locator('#resultaat-link').waitFor();
  await page.waitForFunction(() => document.querySelector('#resultaat-deel-melding')?.textContent !== '');
  const link = await page.locator('#resultaat-link').inputValue();
  const shared = new URLSearchParams(link.split('?')[1]);
  assert.equal(shared.get('scenario'), ref(scenarios.station));
  assert.equal(shared.get('vergelijk'), ref(scenarios.green));
  assert.equal(shared.get('indicator'), 'inwoners');
  assert.match(shared.get('kaart') ?? '', /^[\d.]+\/[\d.]+\/[\d.]+$/);
  await saveScreenshot(page, 'scenarioresultaat-deel');
  await assertNoAxeViolations(page, 'share link shown');

  // A fresh browser (no state but the link), signed in: the same scenarios, indicator and camera.
  const fresh = await openBrowser();
  t.after(() => fresh.close());
  await fresh.page.goto(link);
  await fresh.page.locator('form#inloggen').waitFor();
  await signIn(fresh.page);
  await waitForResults(fresh.page);
  assert.equal(await fresh.page.locator('#resultaat-indicator').inputValue(), 'inwoners');
  assert.match(await fresh.page.locator('h1').innerText(), /E2E Stationsgebied 2000 woningen/);
  assert.equal(await fresh.page.locator('.resultaat-kaart').count(), 2);
  const [zoom, lat, lon] = shared.get('kaart').split('/').map(Number);
  const view = await fresh.page.evaluate(() => {
    const map = window.tweelingResultaat.maps[1];
    return { zoom: map.getZoom(), lat: map.getCenter().lat, lon: map.getCenter().lng };
  });
  assert.ok(Math.abs(view.zoom - zoom) < 0.01 && Math.abs(view.lat - lat) < 1e-4 && Math.abs(view.lon - lon) < 1e-4, `the shared view ${shared.get('kaart')} opened at ${JSON.stringify(view)}`);
  await fresh.page.locator('.resultaat-kaarten').scrollIntoViewIfNeeded();
  await saveScreenshot(fresh.page, 'scenarioresultaat-gedeeld');
  await assertNoAxeViolations(fresh.page, 'shared link opened in a fresh browser');
  assertNoPageProblems(fresh);
  assertNoPageProblems(browser);
});
