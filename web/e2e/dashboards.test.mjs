// The theme dashboards in a real browser: each renders its charts with a table alternative per chart
// (a real <table> with a caption and rows). Checked with axe-core and kept as screenshots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { assertNoPageProblems, cityTimeoutMs, useTwin, visit } from './harness/twin.mjs';

const twin = useTwin();

for (const dashboard of ['armoede', 'binnenstad']) {
  test(`the ${dashboard} dashboard renders its charts, each with a table`, async (t) => {
    const browser = await visit(t, twin, `#/dashboards/${dashboard}`);
    const { page } = browser;

    await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length > 0, null, { timeout: cityTimeoutMs });

    const tables = await page.locator('main table').evaluateAll((all) => all.map((table) => ({
      caption: table.querySelector('caption')?.textContent.trim() ?? '',
      rows: table.querySelectorAll('tbody tr').length,
    })));
    const charts = await page.locator('main svg[role=img]').count();
    assert.ok(charts > 0, 'no chart');
    assert.ok(tables.length >= charts, `${charts} charts but only ${tables.length} tables`);
    for (const table of tables) {
      assert.notEqual(table.caption, '', 'a table without a caption');
    }

    assert.ok(tables.some((table) => table.rows > 0), 'every table is empty');
    assert.equal(await page.locator('main h1').count(), 1);
    await saveScreenshot(page, `dashboard-${dashboard}`);
    await assertNoAxeViolations(page, `dashboard ${dashboard}`);
    assertNoPageProblems(browser);
  });
}

/** The register figure of the poverty dashboard that a purpose opens up (UiApiTests shows the same on the server). */
const registerFigure = 'register_huishoudens_laag_inkomen';

/** The cells of `figure`'s table as the page shows them, sorted: the values in Dutch notation or "niet getoond". */
function tableCells(page, figure) {
  return page.locator(`figure[data-kengetal="${figure}"] tbody td`).evaluateAll((cells) => cells.map((c) => c.textContent.trim()).sort());
}

/**
 * What the table of `figure` must show for `dashboard` as the API gave it to a caller: the areas of the finest level
 * that has a value (the view's `levelOf`), each value in Dutch notation with at most one decimal or "niet getoond".
 */
function expectedCells(dashboard, figure) {
  const has = (level) => dashboard.gebieden.some((a) => a.niveau === level && a.waarden[figure] !== null && a.waarden[figure] !== undefined);
  const level = ['buurt', 'wijk'].find(has) ?? 'buurt';
  const dutch = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });
  return dashboard.gebieden.filter((a) => a.niveau === level)
    .map((a) => (a.waarden[figure] === null || a.waarden[figure] === undefined ? 'niet getoond' : dutch.format(a.waarden[figure])))
    .sort();
}

test('an analist who states the poverty purpose at sign-in sees a register figure exactly that the public sees protected', async (t) => {
  const purpose = 'armoedebeleid';
  const credentials = Buffer.from(`${twin.analist.name}:${twin.analist.password}`).toString('base64');
  const asAnalist = await (await fetch(`${twin.url}/api/v1/dashboards/armoede`, { headers: { authorization: `Basic ${credentials}`, 'x-tweeling-doel': purpose } })).json();
  const asPublic = await (await fetch(`${twin.url}/api/v1/dashboards/armoede`)).json();
  assert.notDeepEqual(expectedCells(asAnalist, registerFigure), expectedCells(asPublic, registerFigure), 'the purpose opens nothing up on the server');

  const browser = await visit(t, twin, '#/dashboards/armoede');
  const { page } = browser;
  const figure = page.locator(`figure[data-kengetal="${registerFigure}"]`);
  await figure.locator('tbody tr').first().waitFor({ timeout: cityTimeoutMs });
  assert.match(await figure.locator('figcaption').innerText(), /Beschermd/, 'the public is not told the figure is protected');
  assert.deepEqual(await tableCells(page, registerFigure), expectedCells(asPublic, registerFigure));

  const form = page.locator('form#inloggen');
  await form.locator('[name=gebruikersnaam]').fill(twin.analist.name);
  await form.locator('[name=wachtwoord]').fill(twin.analist.password);
  await form.locator('[name=doel]').fill(purpose);
  await form.locator('[name=doel]').press('Enter');
  await page.waitForFunction(() => document.querySelector('#rol')?.dataset.rol === 'analist', null, { timeout: 15_000 });
  assert.match(await form.locator('[role=status]').innerText(), new RegExp(purpose), 'the form does not say which purpose is in force');

  // The role change reloads the dashboard with the session's token and purpose: the figure is no longer protected.
  await page.waitForFunction((code) => !/Beschermd/.test(document.querySelector(`figure[data-kengetal="${code}"] figcaption`)?.textContent ?? 'Beschermd'),
    registerFigure, { timeout: cityTimeoutMs });
  assert.deepEqual(await tableCells(page, registerFigure), expectedCells(asAnalist, registerFigure));
  // The multi-problem figures stay disclosure-controlled even for this purpose (the server's rule, shown as it is).
  assert.match(await page.locator('figure[data-kengetal="register_huishoudens_multiprobleem"] figcaption').innerText(), /Beschermd/);
  await saveScreenshot(page, 'dashboard-armoede-analist-met-doel');
  await assertNoAxeViolations(page, 'poverty dashboard, analist with the poverty purpose');
  assertNoPageProblems(browser);
});
