// Screenshots of every tested state, kept as test artefacts in TestResults/e2e/ (git-ignored).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { artefactsDirectory } from './paths.mjs';

/**
 * Saves a screenshot of the whole window as TestResults/e2e/<name>.png and returns its path.
 * @param {import('playwright-core').Page} page
 * @param {string} name a file name without extension, e.g. "kaart-geladen"
 */
export async function saveScreenshot(page, name) {
  await mkdir(artefactsDirectory, { recursive: true });
  const file = path.join(artefactsDirectory, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
