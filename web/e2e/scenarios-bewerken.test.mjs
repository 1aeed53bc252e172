// Editing a scenario in the page (issue 6 item 5, first half) against the real platform, signed in as an analist:
// the public is told to sign in; an analist creates a scenario, draws an area with the mouse (mapbox-gl-draw on the
// MapLibre map) and adds another by the keyboard alternative (a buurt as the area), sets parameters, saves (version 1
// and its content hash), has a save refused with the server's own message next to the field, saves version 2, runs it
// and lands on the results route; deleting asks for confirmation. axe-core finds nothing in every state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { assertNoPageProblems, cityTimeoutMs, useTwin, visit } from './harness/twin.mjs';

const twin = useTwin();

/** A run of the scenario models on the demo city takes about 12 s idle (docs/scenarios.md); far more on a loaded 2-core machine. */
const runTimeoutMs = 600_000;

async function signIn(page, user) {
  const form = page.locator('form#inloggen');
  await form.locator('[name=gebruikersnaam]').fill(user.name);
  await form.locator('[name=wachtwoord]').fill(user.password);
  await form.locator('[name=wachtwoord]').press('Enter');
  await page.waitForFunction((role) => document.querySelector('#rol')?.dataset.rol === role, user.role, { timeout: 30_000 });
}

/** The platform API as the analist, to check what the page stored. */
async function api(path) {
  const credentials = Buffer.from(`${twin.analist.name}:${twin.analist.password}`).toString('base64');
  const answer = await fetch(`${twin.url}${path}`, { headers: { authorization: `Basic ${credentials}`, accept: 'application/json' } });
  const text = await answer.text();
  assert.equal(answer.status, 200, `GET ${path}: ${text}`);
  return JSON.parse(text);
}

test('the public is told that scenarios need sign-in', async (t) => {
  const browser = await visit(t, twin, '#/scenarios');
  const { page } = browser;
  await page.locator('#scenario-inloggen').waitFor({ state: 'visible', timeout: cityTimeoutMs });
  assert.match(await page.locator('#scenario-inloggen').innerText(), /inloggen/i);
  assert.equal(await page.locator('#scenarios-lijst').isVisible(), false, 'the public sees the scenario list');
  assert.equal(await page.locator('nav a[aria-current=page]').innerText(), "Scenario's");
  await saveScreenshot(page, 'scenarios-publiek');
  await assertNoAxeViolations(page, 'scenarios, public');

  // In English too.
  await page.locator('button#taal').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.locator('#scenario-inloggen').innerText(), /only visible after signing in/);
  assert.equal(await page.locator('nav a[aria-current=page]').innerText(), 'Scenarios');
  await assertNoAxeViolations(page, 'scenarios, public, English');
  assertNoPageProblems(browser);
});

test('an analist draws, saves two versions, sees a refused save explained, runs and deletes a scenario', { timeout: runTimeoutMs + 300_000 }, async (t) => {
  const browser = await visit(t, twin, '#/scenarios');
  const { page } = browser;
  await page.locator('form#inloggen').waitFor();
  await signIn(page, twin.analist);
  await page.locator('#scenarios-lijst').waitFor({ state: 'visible', timeout: 30_000 });
  await assertNoAxeViolations(page, 'scenario list, signed in as analist');

  // A new scenario: the editor with its own map.
  await page.locator('#scenario-nieuw').click();
  await page.locator('#scenario-kaart[data-ready=true]').waitFor({ timeout: cityTimeoutMs });
  const name = `Stationsgebied e2e ${Date.now()}`;
  await page.locator('#scenario-naam').fill(name);
  await page.locator('#scenario-beschrijving').fill('Woningen en groen bij het station.');
  assert.match(await page.locator('#scenario-peildatum').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  await saveScreenshot(page, 'scenarios-nieuw');
  await assertNoAxeViolations(page, 'new scenario');

  // 1. Dwellings in an area drawn with the mouse: four corners around the map's middle, then the first corner again.
  await page.locator('#ingreep-soort').selectOption('woningen-toevoegen');
  await page.locator('#ingreep-toevoegen').click();
  await page.locator('#ingreep-gebied-tekenen').click();
  const box = await page.locator('#scenario-kaart canvas').first().boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const corners = [[cx - 80, cy - 60], [cx + 80, cy - 60], [cx + 80, cy + 60], [cx - 80, cy + 60], [cx - 80, cy - 60]];
  for (const [index, [x, y]] of corners.entries()) {
    await page.mouse.move(x, y);
    await page.mouse.click(x, y);
    // mapbox-gl-draw closes the ring only on a click that hits the first corner's vertex as rendered on the map (it
    // asks the map's rendered features), so each corner is waited for until the map has drawn its vertex.
    if (index < corners.length - 1) {
      await waitForDrawnVertex(page, x - box.x, y - box.y);
    }
  }
  await page.waitForFunction(() => /4 hoekpunten/.test(document.querySelector('#ingreep-gebied-status')?.textContent ?? ''), null, { timeout: 30_000 });
  await page.locator('#ingreep-aantal').fill('2000');
  await page.locator('#ingreep-woningtype').selectOption('appartement');
  await page.locator('#ingreep-eigendom').selectOption('sociale-huur');
  await saveScreenshot(page, 'scenarios-getekend');
  await assertNoAxeViolations(page, 'intervention drawn with the mouse');
  await page.locator('#ingreep-toepassen').click();
  assert.match(await page.locator('#ingrepen-tabel tbody tr').nth(0).innerText(), /Woningen toevoegen/);

  // 2. Green in a buurt, by keyboard only: the buurt list is the drawing's alternative.
  await page.locator('#ingreep-soort').focus();
  await page.locator('#ingreep-soort').selectOption('groen-toevoegen');
  await page.locator('#ingreep-toevoegen').press('Enter');
  const buurt = page.locator('#ingreep-gebied-buurt');
  await page.waitForFunction(() => (document.querySelector('#ingreep-gebied-buurt')?.options.length ?? 0) > 1, null, { timeout: cityTimeoutMs });
  await buurt.focus();
  await buurt.press('ArrowDown');
  assert.notEqual(await buurt.inputValue(), '', 'the arrow key chose no buurt');
  await page.locator('#ingreep-gebied-buurt-gebruiken').press('Enter');
  await page.waitForFunction(() => /hoekpunten/.test(document.querySelector('#ingreep-gebied-status')?.textContent ?? ''), null, { timeout: 30_000 });
  await page.locator('#ingreep-groensoort').selectOption('bomen');
  await page.locator('#ingreep-toepassen').press('Enter');
  assert.equal(await page.locator('#ingrepen-tabel tbody tr').count(), 2);
  await assertNoAxeViolations(page, 'two interventions, not saved');

  // Save: version 1 with the server's content hash.
  await page.locator('#scenario-opslaan').click();
  await page.locator('#scenario-versie[data-versie="1"]').waitFor({ timeout: 30_000 });
  const id = Number(/scenario=(\d+)/.exec(await page.evaluate(() => location.hash))?.[1]);
  assert.ok(id > 0, 'the route does not name the saved scenario');
  const v1 = await api(`/api/v1/scenarios/${id}/versies/1`);
  assert.match(await page.locator('#scenario-versie').innerText(), new RegExp(`Versie 1, inhoudshash ${v1.inhoudshash.slice(0, 12)}`));
  assert.deepEqual(v1.ingrepen.map((i) => i.soort), ['woningen-toevoegen', 'groen-toevoegen']);
  const ring = v1.ingrepen[0].gebied.coordinates[0];
  assert.equal(ring.length, 5, 'the drawn area is not a closed ring of four corners');
  assert.deepEqual(ring[0], ring[4]);
  assert.equal(v1.ingrepen[0].aantal, 2000);
  await saveScreenshot(page, 'scenarios-versie-1');
  await assertNoAxeViolations(page, 'saved as version 1');

  // 3. A facility at coordinates outside the Netherlands: the server refuses the save and says why, next to the field.
  await page.locator('#ingreep-soort').selectOption('voorziening-toevoegen');
  await page.locator('#ingreep-toevoegen').click();
  await page.locator('#ingreep-voorzieningtype').fill('huisarts');
  await page.locator('#ingreep-locatie-lon').fill('0.1');
  await page.locator('#ingreep-locatie-lat').fill('0.1');
  await page.locator('#ingreep-locatie-coordinaten-gebruiken').click();
  await page.locator('#ingreep-capaciteit').fill('2');
  await page.locator('#ingreep-toepassen').click();
  await page.locator('#scenario-opslaan').click();
  await page.waitForFunction(() => /Niet opgeslagen/.test(document.querySelector('#scenario-status')?.textContent ?? ''), null, { timeout: 30_000 });
  assert.match(await page.locator('#fout-ingreep-locatie').innerText(), /ingrepen\[2\]: 'locatie' lies outside the Netherlands/);
  assert.equal(await page.locator('#ingreep-locatie-lon').getAttribute('aria-invalid'), 'true', 'the refused field is not marked invalid');
  assert.match(await page.locator('#ingrepen-tabel tbody tr').nth(2).innerText(), /outside the Netherlands/);
  assert.equal(await page.locator('#scenario-versie').getAttribute('data-versie'), '1');
  await saveScreenshot(page, 'scenarios-geweigerd');
  await assertNoAxeViolations(page, 'save refused by the server');

  // Corrected to the middle of the drawn area (in the city): version 2.
  const corners1 = v1.ingrepen[0].gebied.coordinates[0].slice(0, 4);
  const centre = [0, 1].map((axis) => corners1.reduce((sum, c) => sum + c[axis], 0) / corners1.length);
  await page.locator('#ingreep-locatie-lon').fill(String(centre[0]));
  await page.locator('#ingreep-locatie-lat').fill(String(centre[1]));
  await page.locator('#ingreep-locatie-coordinaten-gebruiken').click();
  await page.locator('#ingreep-toepassen').click();
  await page.locator('#scenario-opslaan').click();
  await page.locator('#scenario-versie[data-versie="2"]').waitFor({ timeout: 30_000 });
  const v2 = await api(`/api/v1/scenarios/${id}`);
  assert.equal(v2.versie, 2);
  assert.notEqual(v2.inhoudshash, v1.inhoudshash);
  assert.match(await page.locator('#scenario-versie').innerText(), new RegExp(`Versie 2, inhoudshash ${v2.inhoudshash.slice(0, 12)}`));
  assert.equal(await page.locator('#ingreep-formulier').isVisible(), false, 'the intervention form stayed open after it was applied');

  // Run: a waiting state, then the results route of version 2.
  await page.locator('#scenario-doorrekenen').click();
  await page.locator('#scenario-voortgang').waitFor({ state: 'attached', timeout: 10_000 });
  await saveScreenshot(page, 'scenarios-doorrekenen');
  await assertNoAxeViolations(page, 'running');
  // The results view then adds its own state (indicator, camera) to the hash: the route and the scenario are what count.
  await page.waitForFunction(
    (scenario) => {
      const [route, query = ''] = location.hash.split('?');
      return route === '#/scenarios/resultaat' && new URLSearchParams(query).get('scenario') === scenario;
    },
    `${id}:2`,
    { timeout: runTimeoutMs, polling: 500 },
  );

  // Back to the list: deleting asks first; cancel keeps it, confirm removes it.
  await page.evaluate(() => { location.hash = '#/scenarios'; });
  const row = page.locator(`#scenarios-tabel tr[data-scenario="${id}"]`);
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), new RegExp(`${name}[\\s\\S]*2[\\s\\S]*${v2.inhoudshash.slice(0, 12)}`));
  await row.locator('button[data-verwijder]').click();
  await page.locator('dialog#scenario-verwijderen[open]').waitFor();
  await saveScreenshot(page, 'scenarios-verwijderen');
  await assertNoAxeViolations(page, 'delete confirmation');
  await page.locator('#scenario-verwijderen-nee').click();
  assert.equal(await row.count(), 1, 'cancel deleted the scenario');
  await row.locator('button[data-verwijder]').click();
  await page.locator('#scenario-verwijderen-ja').click();
  await row.waitFor({ state: 'detached', timeout: 30_000 });
  assertNoPageProblems(browser);
});

/**
 * Waits, at most 30 s, until the editor's map has rendered a vertex of the drawing (mapbox-gl-draw's `teken-hoekpunt`
 * layers, one per source) within 3 px of the canvas pixel `x`, `y`: the corner just clicked, as the drawing shows it.
 */
async function waitForDrawnVertex(page, x, y) {
  await page.waitForFunction(({ x, y }) => {
    const map = window.tweelingScenario.map;
    const layers = ['teken-hoekpunt.cold', 'teken-hoekpunt.hot'].filter((layer) => map.getLayer(layer));
    return layers.length > 0 && map.queryRenderedFeatures([[x - 3, y - 3], [x + 3, y + 3]], { layers }).length > 0;
  }, { x, y }, { timeout: 30_000 });
}

/**
 * A pixel of the editor's map (page coordinates) where a rendered feature of `layer` lies at least 30 px inside the
 * canvas, and that feature's id: the position of one of its vertices, projected by the map.
 */
async function featureOnScreen(page, layer) {
  const canvas = await page.locator('#scenario-kaart canvas').first().boundingBox();
  const hit = await page.evaluate(({ layer, width, height }) => {
    const map = window.tweelingScenario.map;
    for (const feature of map.queryRenderedFeatures({ layers: [layer] })) {
      const coordinates = feature.geometry.type === 'Point' ? [feature.geometry.coordinates] : feature.geometry.type === 'LineString' ? feature.geometry.coordinates : [];
      for (const c of coordinates) {
        const { x, y } = map.project(c);
        if (x > 30 && y > 30 && x < width - 30 && y < height - 30) {
          return { x, y, id: String(feature.properties.id), name: String(feature.properties.naam) };
        }
      }
    }
    return null;
  }, { layer, width: canvas.width, height: canvas.height });
  assert.ok(hit, `no ${layer} feature is rendered inside the map`);
  return { ...hit, x: canvas.x + hit.x, y: canvas.y + hit.y };
}

test('roads and facilities are chosen on the map and from lists filtered by name', { timeout: 600_000 }, async (t) => {
  const browser = await visit(t, twin, '#/scenarios');
  const { page } = browser;
  await page.locator('form#inloggen').waitFor();
  await signIn(page, twin.analist);
  await page.locator('#scenario-nieuw').click();
  await page.locator('#scenario-kaart[data-ready=true]').waitFor({ timeout: cityTimeoutMs });
  await page.locator('#scenario-naam').fill(`Wegen en voorzieningen e2e ${Date.now()}`);

  // A speed limit on one road found by its street name (keyboard) and one clicked on the map, highlighted there.
  const listed = (await api('/ogc/collections/wegvakken/items?limit=1')).features[0];
  await page.locator('#ingreep-soort').selectOption('snelheid-wijzigen');
  await page.locator('#ingreep-toevoegen').click();
  await page.locator('#ingreep-wegvakken-zoek').fill(listed.properties.naam);
  const firstRoad = page.locator('#ingreep-wegvakken-lijst input[type=checkbox]').first();
  await firstRoad.waitFor({ timeout: cityTimeoutMs });
  assert.match(await page.locator('#ingreep-wegvakken-lijst').innerText(), new RegExp(listed.properties.naam));
  await firstRoad.focus();
  await firstRoad.press('Space');
  const byList = await firstRoad.getAttribute('value');
  await page.waitForFunction(() => /1 wegvakken gekozen/.test(document.querySelector('#ingreep-wegvakken-aantal')?.textContent ?? ''));
  const road = await featureOnScreen(page, 'wegvakken');
  assert.notEqual(road.id, byList);
  await page.mouse.click(road.x, road.y);
  await page.waitForFunction(() => /2 wegvakken gekozen/.test(document.querySelector('#ingreep-wegvakken-aantal')?.textContent ?? ''), null, { timeout: 30_000 });
  const filter = JSON.stringify(await page.evaluate(() => window.tweelingScenario.map.getFilter('scenario-wegvakken-gekozen')));
  assert.ok(filter.includes(road.id) && filter.includes(byList), `the chosen roads are not highlighted: ${filter}`);
  await page.waitForFunction(() => window.tweelingScenario.map.queryRenderedFeatures({ layers: ['scenario-wegvakken-gekozen'] }).length > 0, null, { timeout: 30_000 });
  await page.locator('#ingreep-snelheid').fill('30');
  await saveScreenshot(page, 'scenarios-wegen-gekozen');
  await assertNoAxeViolations(page, 'roads chosen');
  await page.locator('#ingreep-toepassen').click();

  // Closing a facility clicked on the map.
  await page.locator('#ingreep-soort').selectOption('voorziening-opheffen');
  await page.locator('#ingreep-toevoegen').click();
  const facility = await featureOnScreen(page, 'voorzieningen');
  await page.mouse.click(facility.x, facility.y);
  await page.waitForFunction((id) => document.querySelector('#ingreep-voorziening')?.value === id, facility.id, { timeout: 30_000 });
  assert.match(await page.locator('#ingreep-voorziening-gekozen').innerText(), new RegExp(facility.name));
  await page.locator('#ingreep-toepassen').click();

  // Resizing a facility found by its kind in the list, by keyboard.
  await page.locator('#ingreep-soort').selectOption('voorziening-wijzigen');
  await page.locator('#ingreep-toevoegen').click();
  await page.locator('#ingreep-voorziening-zoek').fill('huisarts');
  await page.waitForFunction(() => (document.querySelector('#ingreep-voorziening')?.options.length ?? 0) > 1, null, { timeout: cityTimeoutMs });
  await page.locator('#ingreep-voorziening').focus();
  await page.locator('#ingreep-voorziening').press('ArrowDown');
  const resized = await page.locator('#ingreep-voorziening').inputValue();
  assert.notEqual(resized, '');
  await page.locator('#ingreep-capaciteit').fill('3');
  await page.locator('#ingreep-toepassen').click();

  await page.locator('#scenario-opslaan').click();
  await page.locator('#scenario-versie[data-versie="1"]').waitFor({ timeout: 30_000 });
  const id = Number(/scenario=(\d+)/.exec(await page.evaluate(() => location.hash))?.[1]);
  const stored = await api(`/api/v1/scenarios/${id}/versies/1`);
  assert.deepEqual(stored.ingrepen[0], { soort: 'snelheid-wijzigen', wegvakken: [byList, road.id], snelheid: 30 });
  assert.deepEqual(stored.ingrepen[1], { soort: 'voorziening-opheffen', voorziening: facility.id });
  assert.deepEqual(stored.ingrepen[2], { soort: 'voorziening-wijzigen', voorziening: resized, capaciteit: 3 });
  await assertNoAxeViolations(page, 'roads and facilities saved');
  assertNoPageProblems(browser);
});
