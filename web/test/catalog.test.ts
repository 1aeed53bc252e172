import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api';
import { Catalog } from '../src/catalog';
import { startPlatform } from './platform';

// A real HTTP server (./platform.ts) that records the catalog requests with their Authorization header and answers
// with one collection for the public and two for a signed-in caller.
const requests: string[] = [];
let platform: Awaited<ReturnType<typeof startPlatform>>;
let base = '';

function collection(id: string) {
  return { id, title: id, datasets: ['demostad-basis'], extent: { spatial: { bbox: [[4.6, 51.7, 4.8, 51.9]] } } };
}

beforeAll(async () => {
  platform = await startPlatform((path, authorization, json) => {
    if (path === '/ogc/collections') {
      requests.push(`${path} ${authorization}`);
      json(200, { collections: authorization ? [collection('panden'), collection('sensoren')] : [collection('panden')] });
    } else if (path === '/api/v1/datasets' || path === '/api/v1/indicatoren') {
      requests.push(`${path} ${authorization}`);
      json(200, []);
    } else {
      json(404, { type: 'about:blank', title: 'Not Found', detail: path });
    }
  });
  base = platform.base;
});

afterAll(() => platform.close());

beforeEach(() => {
  requests.length = 0;
});

describe('the catalog fetched before the map asks for it', () => {
  it('is the next load’s answer, once: the load after it asks again', async () => {
    const api = new ApiClient(base);
    Catalog.prefetch(api);
    const first = await Catalog.load(api);
    // The prefetch asked for the three resources; the first load asked for nothing more.
    const afterFirst = requests.length;
    await Catalog.load(api);

    expect(afterFirst).toBe(3);
    expect(requests).toHaveLength(6);
    expect(first.collections.map((c) => c.id)).toEqual(['panden']);
  });

  it('is not used after the credentials changed: the signed-in role gets its own catalog', async () => {
    const api = new ApiClient(base);
    Catalog.prefetch(api);
    await api.signIn({ userName: 'medewerker', password: 'een-lang-wachtwoord' });
    const catalog = await Catalog.load(api);

    expect(catalog.collections.map((c) => c.id)).toEqual(['panden', 'sensoren']);
    expect(requests.filter((r) => r.endsWith('Bearer token-medewerker'))).toHaveLength(3);
  });
});
