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
