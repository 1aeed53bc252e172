import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api';
import { RoadFinder, maxStreets } from '../src/scenario/roads';
import { startPlatform } from './platform';

// A platform with seven streets of two links each and an address on one of them; every request is recorded, so the
// test sees that the road list never asks for the whole wegvakken collection.
const streets = ['Voorstraat', 'Voorhaven', 'Voorburgstraat', 'Achter de Voorstraat', 'Voorweg', 'Voorlaan', 'Voordijk'];
const linksOf = (street: string) =>
  [1, 2].map((n) => ({ type: 'Feature', id: `${street}-${n}`, geometry: { type: 'LineString', coordinates: [[4.6, 51.8], [4.61, 51.81]] }, properties: { id: `${street}-${n}`, naam: street, wegklasse: 'erftoegangsweg' } }));
const asked: string[] = [];
let platform: Awaited<ReturnType<typeof startPlatform>>;

beforeAll(async () => {
  platform = await startPlatform((path, _authorization, json) => {
    asked.push(path);
    const url = new URL(path, 'http://x');
    if (url.pathname === '/api/v1/zoeken') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      json(200, [
        { type: 'adres', label: 'Voorstraat 12', collectie: 'panden', id: 'P1' },
        ...streets.filter((s) => s.toLowerCase().includes(q)).map((s) => ({ type: 'straat', label: s, collectie: 'wegvakken', id: `${s}-1` })),
      ]);
    } else if (url.pathname === '/ogc/collections/wegvakken/items' && url.searchParams.has('naam')) {
      json(200, { type: 'FeatureCollection', features: linksOf(url.searchParams.get('naam')!) });
    } else if (url.pathname.startsWith('/ogc/collections/wegvakken/items/')) {
      const id = decodeURIComponent(url.pathname.split('/').pop()!);
      const link = streets.flatMap(linksOf).find((l) => l.id === id);
      json(link ? 200 : 404, link ?? { type: 'about:blank', title: 'Not Found', detail: `no ${id}` });
    } else {
      json(404, { type: 'about:blank', title: 'Not Found', detail: path });
    }
  });
});

afterAll(() => platform.close());

describe('RoadFinder', () => {
  it('lists the links of the streets the search names, asking each street by name and never the whole collection', async () => {
    const finder = new RoadFinder(new ApiClient(platform.base));
    const found = await finder.find('voorstraat');

    expect(found.map((l) => l.id)).toEqual(['Voorstraat-1', 'Voorstraat-2', 'Achter de Voorstraat-1', 'Achter de Voorstraat-2']);
    expect(found.every((l) => l.geometry === null)).toBe(true);
    expect(asked).toContain('/ogc/collections/wegvakken/items?naam=Achter%20de%20Voorstraat&limit=10000');
    expect(asked.filter((p) => p.startsWith('/ogc/collections/wegvakken/items?') && !p.includes('naam='))).toEqual([]);
  });

  it('takes at most the first streets of the ranking, and nothing for an empty filter', async () => {
    const finder = new RoadFinder(new ApiClient(platform.base));

    expect(new Set((await finder.find('voor')).map((l) => l.properties['naam'])).size).toBe(maxStreets);
    expect(await finder.find('  ')).toEqual([]);
  });

  it('finds a link by its id, and lists chosen links from what it read or by asking for each', async () => {
    const finder = new RoadFinder(new ApiClient(platform.base));

    expect((await finder.find('Voorweg-2')).map((l) => l.id)).toEqual(['Voorweg-2']);
    await finder.find('Voorlaan');
    const before = asked.length;
    expect((await finder.byIds(['Voorlaan-1', 'Voordijk-2', 'onbekend'])).map((l) => l.id)).toEqual(['Voorlaan-1', 'Voordijk-2']);
    expect(asked.slice(before).sort()).toEqual(['/ogc/collections/wegvakken/items/Voordijk-2', '/ogc/collections/wegvakken/items/onbekend']);
  });
});
