// The time slider: choosing an earlier date in input#peildatum shows the twin as of that date — the
// buildings drawn (their ids and heights from the tiles) are not those of today.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { assertNoPageProblems, cityTimeoutMs, useTwin, visit, waitForCity } from './harness/twin.mjs';

const twin = useTwin();

/** The rendered buildings as sorted "id:height" keys (the tiles' integer feature id): what a change of date may change. */
function buildingsShown(page) {
  return page.evaluate(() => [...new Set(window.tweeling.map.queryRenderedFeatures()
    .filter((f) => f.sourceLayer === 'panden')
    .map((f) => `${f.id}:${f.properties.hoogte}`))].sort().join(','));
}

test('choosing the earliest date in the time slider changes the buildings shown', async (t) => {
  const browser = await visit(t, twin, '#/kaart');
  const { page } = browser;
  await waitForCity(page);
  const slider = page.locator('input#peildatum');
  const today = await buildingsShown(page);
  const earliest = await slider.getAttribute('min');
  assert.ok(earliest, 'the time slider has no earliest date');

  await slider.fill(earliest);
  await slider.dispatchEvent('change');

  await page.waitForFunction((before) => [...new Set(window.tweeling.map.queryRenderedFeatures()
    .filter((f) => f.sourceLayer === 'panden')
    .map((f) => `${f.id}:${f.properties.hoogte}`))].sort().join(',') !== before, today, { timeout: cityTimeoutMs, polling: 500 });
  assert.notEqual(await buildingsShown(page), today);
  await saveScreenshot(page, 'tijd-vroegste-datum');
  await assertNoAxeViolations(page, `time slider at ${earliest}`);
  assertNoPageProblems(browser);
});
