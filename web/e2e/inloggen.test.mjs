// Signing in through the page: the account made by `tweeling users add` before the server started
// signs in with its password, the page shows its role, and a wrong password is refused with a message
// while the page stays public.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoAxeViolations } from './harness/accessibility.mjs';
import { saveScreenshot } from './harness/artefacts.mjs';
import { assertNoPageProblems, useTwin, visit } from './harness/twin.mjs';

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
