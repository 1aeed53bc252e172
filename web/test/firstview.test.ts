import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alarmsAtOpenPath } from '../src/live/events';
import { sensorItemsPath } from '../src/live/sensoritems';

describe('the first view\'s requests', () => {
  it('are the ones the server answers at start-up, so a first visitor runs no code for the first time', () => {
    // src/Tweeling.Server/Hosting/FirstViewRequestsWarmUp.cs `Requests`: the server warms exactly these paths, so a
    // path the page changes here must change there too.
    const warmUp = readFileSync(new URL('../../src/Tweeling.Server/Hosting/FirstViewRequestsWarmUp.cs', import.meta.url), 'utf8');
    const list = warmUp.slice(warmUp.indexOf('Requests ='), warmUp.indexOf('];', warmUp.indexOf('Requests =')));
    const warmed = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);

    // web/src/main.ts (settings), catalog.ts (collections, datasets, indicators), live/view.ts and live/sensoritems.ts.
    expect(warmed).toEqual(['/config.json', '/ogc/collections', '/api/v1/datasets', '/api/v1/indicatoren', alarmsAtOpenPath, sensorItemsPath]);
  });
});
