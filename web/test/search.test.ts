import { describe, expect, it } from 'vitest';
import { itemsOf, matchRank, normalise, search, type SearchItem } from '../src/search';
import { ProblemError } from '../src/api';
import { format, type MessageKey } from '../src/i18n';
import { itemsOfServerAnswer, searchFailure } from '../src/searchbox';

const item = (kind: string, label: string, keywords: string[] = []): SearchItem => ({ kind, label, keywords, collection: `${kind}s`, featureId: label });

describe('normalise', () => {
  it('ignores case, diacritics and punctuation', () => {
    expect(normalise('Sint-Jorisweg')).toBe('sint jorisweg');
    expect(normalise('  Zuïd   Oost ')).toBe('zuid oost');
    expect(normalise('BU0505.0100')).toBe('bu0505 0100');
  });
});

describe('ranking', () => {
  it('orders exact before prefix before a word’s prefix before anywhere', () => {
    expect(matchRank('centrum', 'Centrum')).toBe(0);
    expect(matchRank('cent', 'Centrum-Noord')).toBe(1);
    expect(matchRank('noord', 'Centrum-Noord')).toBe(2);
    expect(matchRank('trum', 'Centrum')).toBe(3);
    expect(matchRank('xyz', 'Centrum')).toBeNull();
  });

  it('ranks by match, then areas before the things in them, then the shorter name', () => {
    const items = [item('voorziening', 'Huisartsenpraktijk Centrum'), item('buurt', 'Oud Centrum'), item('buurt', 'Centrum'), item('wijk', 'Centrum-Noord'), item('sensor', 'Luchtmeetpunt Centrum')];
    expect(search(items, 'centrum').map((i) => i.label)).toEqual(['Centrum', 'Centrum-Noord', 'Oud Centrum', 'Huisartsenpraktijk Centrum', 'Luchtmeetpunt Centrum']);
  });

  it('lists addresses after the other kinds of equal rank, as the server does: a street before its addresses', () => {
    const items = [item('adres', 'Voorstraat 1, 3311 AA'), item('straat', 'Voorstraat'), item('voorziening', 'Voorstraatapotheek'), item('adres', 'Voorstraat 12a, 3311 AB')];
    expect(search(items, 'voorstraat').map((i) => i.label)).toEqual(['Voorstraat', 'Voorstraatapotheek', 'Voorstraat 1, 3311 AA', 'Voorstraat 12a, 3311 AB']);
  });

  it('finds by keyword (a CBS code, a facility type) and cuts at the limit', () => {
    const items = [item('buurt', 'Bleijenhoek', ['BU05050101']), ...Array.from({ length: 20 }, (_, i) => item('voorziening', `Basisschool ${i}`, ['basisschool']))];
    expect(search(items, 'bu05050101')[0]?.label).toBe('Bleijenhoek');
    expect(search(items, 'basisschool', 5)).toHaveLength(5);
    expect(search(items, '   ')).toEqual([]);
  });
});

describe('search items', () => {
  it('are made of OGC features: name, code and type as keywords, the middle of the geometry to fly to', () => {
    const [buurt] = itemsOf('buurten', [
      { id: 'BU01', geometry: { type: 'Polygon', coordinates: [[[4, 51], [5, 51], [5, 52], [4, 51]]] }, properties: { naam: 'Centrum', code: 'BU01' } },
    ]);
    expect(buurt).toEqual({ kind: 'buurt', label: 'Centrum', keywords: ['BU01'], collection: 'buurten', featureId: 'BU01', point: [4.5, 51.5] });
  });

  it('are read from the server’s answer in either of its shapes, and malformed entries are left out', () => {
    const entry = { soort: 'buurt', naam: 'Centrum', collectie: 'buurten', id: 'BU01', punt: [4.5, 51.5] };
    expect(itemsOfServerAnswer([entry])).toEqual([{ kind: 'buurt', label: 'Centrum', collection: 'buurten', featureId: 'BU01', point: [4.5, 51.5] }]);
    expect(itemsOfServerAnswer({ resultaten: [entry, { naam: 'zonder collectie' }] })).toHaveLength(1);
    expect(itemsOfServerAnswer({ items: [{ type: 'sensor', label: 'NO2', collectionId: 'sensoren', featureId: '7', geometrie: { type: 'Point', coordinates: [4, 51] } }] })[0]).toEqual({
      kind: 'sensor',
      label: 'NO2',
      collection: 'sensoren',
      featureId: '7',
      point: [4, 51],
    });
    expect(itemsOfServerAnswer(null)).toEqual([]);
  });
});

describe('searchFailure', () => {
  const dutch = (key: MessageKey, params?: Record<string, string | number>) => format('nl', key, params);

  it('gives the wait the platform asked for when it refused for too many requests', () => {
    const refused = new ProblemError(429, 'about:blank', 'Too Many Requests', 'Too many requests from this address.', 12);
    expect(searchFailure(refused, dutch)).toBe('Het platform krijgt nu te veel verzoeken; zoek over 12 s opnieuw.');
    expect(searchFailure(new ProblemError(429, 'about:blank', 'Too Many Requests', ''), dutch)).toBe('Het platform krijgt nu te veel verzoeken; zoek straks opnieuw.');
  });

  it('gives any other failure with its explanation', () => {
    expect(searchFailure(new ProblemError(500, 'about:blank', 'Internal Server Error', 'The store is not available.'), dutch)).toBe('Zoeken lukte niet: The store is not available.');
    expect(searchFailure(new TypeError('Failed to fetch'), dutch)).toBe('Zoeken lukte niet: Failed to fetch');
  });
});
