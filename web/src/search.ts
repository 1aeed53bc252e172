import { centreOf } from './geo';

/**
 * Search: ranking of places, facilities and sensors by name or code. The platform's `/api/v1/zoeken` does it
 * on the server when it has it; until then (or on an older server) the UI ranks OGC items itself with the
 * same order: exact match, then prefix, then a word's prefix, then anywhere in the text.
 */

export interface SearchItem {
  /** What kind of thing: buurt, wijk, voorziening, sensor, adres, … (a `search.kind.*` message). */
  readonly kind: string;
  readonly label: string;
  /** Other texts that find it (a CBS code, a facility type). */
  readonly keywords?: readonly string[];
  readonly collection: string;
  readonly featureId: string;
  /** Where to fly to, CRS84 [lon, lat]. */
  readonly point?: readonly [number, number];
}

/** Lower case without diacritics, so "Sint-Jorisweg" and "sint jorisweg" and "Zuïd" and "zuid" find each other. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-_/.,]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * How well `text` matches the normalised `query`: 0 exact, 1 prefix, 2 a word starts with it, 3 contains it,
 * or `null` for no match.
 */
export function matchRank(query: string, text: string): number | null {
  const t = normalise(text);
  if (query.length === 0 || t.length === 0) {
    return null;
  }
  if (t === query) {
    return 0;
  }
  if (t.startsWith(query)) {
    return 1;
  }
  if (t.split(' ').some((word) => word.startsWith(query)) || t.includes(` ${query}`)) {
    return 2;
  }
  return t.includes(query) ? 3 : null;
}

/** Kinds in the order they win a tie: areas before the things in them, addresses (tens of thousands) after the rest, as the server lists them. */
const kindOrder = ['gemeente', 'wijk', 'buurt', 'straat', 'voorziening', 'beheerobject', 'sensor', 'adres', 'pand'];

/** The items matching `query`, best first (rank, then kind, then shorter label, then alphabetically), at most `limit`. */
export function search(items: readonly SearchItem[], query: string, limit = 10): SearchItem[] {
  const q = normalise(query);
  if (q.length === 0) {
    return [];
  }
  const scored: { item: SearchItem; rank: number }[] = [];
  for (const item of items) {
    let best: number | null = null;
    for (const text of [item.label, ...(item.keywords ?? [])]) {
      const rank = matchRank(q, text);
      if (rank !== null && (best === null || rank < best)) {
        best = rank;
      }
    }
    if (best !== null) {
      scored.push({ item, rank: best });
    }
  }
  const kind = (k: string) => {
    const i = kindOrder.indexOf(k);
    return i < 0 ? kindOrder.length : i;
  };
  scored.sort(
    (a, b) =>
      a.rank - b.rank ||
      kind(a.item.kind) - kind(b.item.kind) ||
      a.item.label.length - b.item.label.length ||
      a.item.label.localeCompare(b.item.label, 'nl'),
  );
  return scored.slice(0, limit).map((s) => s.item);
}

/** A GeoJSON feature as the OGC items endpoint returns it. */
export interface OgcFeature {
  readonly id: string;
  readonly geometry: { readonly type: string; readonly coordinates: unknown } | null;
  readonly properties: Record<string, unknown>;
}

/** Search items of an OGC collection's features (the client-side fallback). */
export function itemsOf(collection: string, features: readonly OgcFeature[]): SearchItem[] {
  const kind = collectionKinds[collection] ?? collection;
  return features.map((f) => {
    const p = f.properties;
    const label = String(p['naam'] ?? p['adres'] ?? f.id);
    const keywords = [...new Set([f.id, p['code'], p['type'], p['soort']].filter((k): k is string => typeof k === 'string' && k !== label))];
    const point = f.geometry ? centreOf(f.geometry.coordinates) : undefined;
    return { kind, label, keywords, collection, featureId: f.id, ...(point ? { point } : {}) };
  });
}

const collectionKinds: Record<string, string> = {
  gemeenten: 'gemeente',
  wijken: 'wijk',
  buurten: 'buurt',
  voorzieningen: 'voorziening',
  sensoren: 'sensor',
  beheerobjecten: 'beheerobject',
  panden: 'pand',
};
