// Live sensors in a real browser: an observation stored through the SensorThings API reaches the
// page over /api/v1/live (server-sent events) within seconds. The demo feed itself reads every 5 to
// 60 minutes, too seldom to wait for, so the test writes the observation as a sensor partner would:
// signed in as the test account (medewerker), over HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { assertNoPageProblems, useTwin, visit } from './harness/twin.mjs';

const twin = useTwin();

/** Within "a few seconds" (issue 5): the server sends an observation once it is durable. */
const arrivalTimeoutMs = 10_000;

/** A demo sensor's datastream the public may read (dataset demo-sensoren is open). */
async function openDatastream() {
  const answer = await fetch(`${twin.url}/sta/v1.1/Datastreams?$top=1&$select=id,name`);
  assert.equal(answer.status, 200);
  const [datastream] = (await answer.json()).value;
  assert.ok(datastream, 'the demo city has no datastream');
  return datastream;
}

/** Stores one observation as the signed-in test account, timed now. */
async function writeObservation(datastreamId, result) {
  const credentials = Buffer.from(`${twin.user.name}:${twin.user.password}`).toString('base64');
  const answer = await fetch(`${twin.url}/sta/v1.1/Observations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${credentials}` },
    body: JSON.stringify({ phenomenonTime: new Date().toISOString(), result, Datastream: { '@iot.id': datastreamId } }),
  });
  assert.equal(answer.status, 201, `writing an observation was refused: ${await answer.text()}`);
}

test('a new sensor value arrives in #live within seconds of being stored', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  const live = page.locator('#live');
  await live.waitFor({ state: 'attached' });
  const datastream = await openDatastream();
  // A value no demo sensor produces, so its arrival cannot be a coincidence; written as soon as the
  // page listens (the UI marks the list busy until its event stream is open).
  const value = 777;
  await page.waitForFunction(() => document.querySelector('#live')?.getAttribute('aria-busy') !== 'true');

  await writeObservation(datastream['@iot.id'], value);

  await page.waitForFunction((text) => document.querySelector('#live').textContent.includes(text), String(value), { timeout: arrivalTimeoutMs });
  await saveScreenshot(page, 'live-waarde');
  await assertNoAxeViolations(page, 'live value arrived');
  assertNoPageProblems(browser);
});
