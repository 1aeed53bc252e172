// axe-core, injected into the page under test, checks every tested page and state against WCAG 2.1 A and AA.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** axe-core's browser build as text; evaluated through the DevTools protocol, so the page's CSP (no inline script) allows it. */
const axeSource = require('axe-core').source;

/** The rules of WCAG 2.0 and 2.1, levels A and AA (WCAG 2.1 AA includes every 2.0 A/AA criterion). */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One violation as a reader can act on it: rule, impact, what to fix, and the elements (CSS selectors) that break it. */
function describe(violation) {
  const nodes = violation.nodes.map((node) => `    ${node.target.join(' ')}\n      ${node.failureSummary?.replaceAll('\n', '\n      ')}`);
  return `  ${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.helpUrl}\n${nodes.join('\n')}`;
}

/**
 * Runs axe-core with the WCAG 2.1 A/AA rules over the whole document as it is now and fails, listing
 * every violation, when there is any. `state` names what is being checked in the failure message.
 * @param {import('playwright-core').Page} page
 * @param {string} state
 */
export async function assertNoAxeViolations(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }

  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    wcagTags,
  );
  const report = results.violations.map(describe).join('\n');
  if (report) {
    console.log(`axe-core, ${state}:\n${report}`);
  }

  assert.equal(results.violations.length, 0, `axe-core found WCAG 2.1 A/AA violations (${state}):\n${report}`);
}
