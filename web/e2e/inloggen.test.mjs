// Signing in through the page: the account made by `tweeling users add` before the server started
// signs in with its password, the page shows its role, a wrong password is refused with a message
// while the page stays public, and signing in shows a sensor the public may not see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { assertNoPageProblems, cityTimeoutMs, createSensorEntity, thingWithDatastreams, useTwin, visit, waitForCity } from './harness/twin.mjs';

const twin = useTwin();

/** Fills in the sign-in form and submits it with the Enter key, as a keyboard user would. */
async function signIn(page, userName, password) {
  const form = page.locator('form#inloggen');
  await form.locator('[name=gebruikersnaam]').fill(userName);
  await form.locator('[name=wachtwoord]').fill(password);
  await form.locator('[name=wachtwoord]').press('Enter');
}

test('signing in as a medewerker shows the role', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await page.locator('form#inloggen').waitFor();
  const publicRole = await page.locator('#rol').innerText();
  assert.doesNotMatch(publicRole, /medewerker/i, 'the page claims a role before anyone signed in');
  await saveScreenshot(page, 'inloggen-publiek');
  await assertNoAxeViolations(page, 'public, sign-in form');

  await signIn(page, twin.user.name, twin.user.password);

  await page.waitForFunction(() => document.querySelector('#rol')?.dataset.rol === 'medewerker', null, { timeout: 15_000 });
  assert.match(await page.locator('#rol').innerText(), /medewerker/);
  assert.match(await page.locator('form#inloggen [role=status]').innerText(), new RegExp(twin.user.name), 'the form does not say who signed in');
  await saveScreenshot(page, 'inloggen-medewerker');
  await assertNoAxeViolations(page, 'signed in as medewerker');
  assertNoPageProblems(browser);
});

test('a wrong password is refused and the page stays public', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await page.locator('form#inloggen').waitFor();
  const publicRole = await page.locator('#rol').innerText();

  await signIn(page, twin.user.name, `${twin.user.password}-fout`);

  // The form's status line (role=status, read out by screen readers) says why.
  const message = page.locator('form#inloggen [role=status]');
  await page.waitForFunction(() => /niet gelukt/.test(document.querySelector('form#inloggen [role=status]')?.textContent ?? ''), null, { timeout: 15_000 });
  assert.match(await message.innerText(), /wachtwoord/i, 'the refusal does not say what was wrong');
  assert.equal(await page.locator('#rol').innerText(), publicRole);
  assert.equal(await page.locator('#rol').getAttribute('data-rol'), 'publiek');
  await saveScreenshot(page, 'inloggen-geweigerd');
  await assertNoAxeViolations(page, 'sign-in refused');
  assertNoPageProblems(browser);
});

test('signing in shows on the map and in search an internal sensor the public does not see', async (t) => {
  // A Thing that names no dataset is internal (Tweeling:Access:UnlabelledSensors, docs/security.md): staff read it,
  // the public does not. It gets a value, so the map gives it a colour level once the role may see it.
  const name = 'Intern proefmeetpunt';
  const publicSensors = (await (await fetch(`${twin.url}/ogc/collections/sensoren/items?limit=1000`)).json()).features;
  const shown = publicSensors.find((s) => s.properties.datastreams?.[0]?.laatsteWaarde !== null && s.properties.datastreams?.[0]?.laatsteWaarde !== undefined);
  assert.ok(shown, 'no open sensor has a value');
  const [lon, lat] = shown.geometry.coordinates;
  const thingId = await createSensorEntity(twin, 'Things', thingWithDatastreams(name, [lon - 0.001, lat - 0.001], [{ name: 'Grondwaterstand intern', observed: 'grondwaterstand-intern', symbol: 'm' }]));
  const credentials = Buffer.from(`${twin.user.name}:${twin.user.password}`).toString('base64');
  const streams = await (await fetch(`${twin.url}/sta/v1.1/Things(${thingId})/Datastreams`, { headers: { authorization: `Basic ${credentials}` } })).json();
  await createSensorEntity(twin, 'Observations', { phenomenonTime: new Date().toISOString(), result: -1.2, Datastream: { '@iot.id': streams.value[0]['@iot.id'] } });

  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);
  // Signing in reloads the map's style for the new role; feature state cannot be read until it has loaded.
  const hasLevel = (id) => page.waitForFunction((sensor) => {
    const map = window.tweeling.map;
    return map.isStyleLoaded() && typeof map.getFeatureState({ source: 'sensoren', id: sensor }).niveau === 'number';
  }, id, { timeout: cityTimeoutMs, polling: 250 });
  const box = page.locator('#zoeken');

  // Public: once the open sensors have their colour levels, the internal one has none (it is not on the map), and
  // search does not find it.
  await hasLevel(shown.id);
  const publicNow = (await (await fetch(`${twin.url}/ogc/collections/sensoren/items?limit=1000`)).json()).features;
  assert.ok(!publicNow.some((s) => s.id === String(thingId)), 'the public reads the internal sensor from the sensoren collection');
  assert.equal(await page.evaluate((id) => window.tweeling.map.getFeatureState({ source: 'sensoren', id }).niveau, String(thingId)), undefined, 'the public sees the internal sensor on the map');
  await box.fill(name);
  await page.waitForFunction((query) => document.querySelector('#zoeken-status')?.textContent?.includes(`Geen resultaten voor “${query}”`), name, { timeout: cityTimeoutMs });
  await assertNoAxeViolations(page, 'public: the internal sensor is not found');

  // Signed in as a medewerker: on the map with a colour level, and found as a sensor.
  await signIn(page, twin.user.name, twin.user.password);
  await page.waitForFunction(() => document.querySelector('#rol')?.dataset.rol === 'medewerker', null, { timeout: 15_000 });
  await hasLevel(String(thingId));
  await box.fill('');
  await box.fill(name);
  await page.locator('#zoekresultaten li[role=option]', { hasText: name }).filter({ has: page.locator('.zoekresultaat-soort', { hasText: /^sensor$/ }) }).first().waitFor({ state: 'visible', timeout: cityTimeoutMs });
  await saveScreenshot(page, 'inloggen-interne-sensor');
  await assertNoAxeViolations(page, 'signed in: the internal sensor is found');
  assertNoPageProblems(browser);
});
