import type { ApiClient } from '../api';
import { normalise, type OgcFeature } from '../search';

/**
 * Where the scenario editor's road list finds its road links, without loading all of them (the demo city's 32,186
 * wegvakken are about 11 MB as GeoJSON): the platform's search (`/api/v1/zoeken`) names the streets that match what
 * was typed, and the OGC API – Features `naam` queryable (`/ogc/collections/wegvakken/items?naam=…`) gives each street's
 * links. Both are reads through the platform's access seam, so a role finds only the roads it may read. A link id
 * typed as it is (e.g. from the map's panel) is found too.
 */

/** The most streets whose links one filter lists: the first of the search's ranking (exact, then prefix, then the rest). */
export const maxStreets = 5;

/** The most hits the platform's search gives (Zoeken.MaxLimit); streets come before addresses among equal matches. */
const searchLimit = 50;

/** The largest page of the OGC items endpoint (ItemsRequest.MaximumLimit): far more than one street has links. */
const streetPageSize = 10_000;

/** One hit of `/api/v1/zoeken`, as far as the road list reads it. */
interface SearchHit {
  readonly type: string;
  readonly label: string;
}

export class RoadFinder {
  /** Every link read so far by id, without geometry (the map shows it): chosen roads are listed from here. */
  readonly #known = new Map<string, OgcFeature>();
  /** Each street's links, read once per street. */
  readonly #streets = new Map<string, Promise<OgcFeature[]>>();

  constructor(private readonly api: ApiClient) {}

  /**
   * The links of the streets whose names match `query` (at most {@link maxStreets} streets, in the search's order,
   * each street's links by id), and the link whose id is `query` if there is one; none for an empty query.
   */
  async find(query: string): Promise<OgcFeature[]> {
    const text = query.trim();
    if (!text) {
      return [];
    }
    // A link id is one word: only then is it worth asking for a link by id.
    const [hits, byId] = await Promise.all([
      this.api.get<SearchHit[]>(`/api/v1/zoeken?q=${encodeURIComponent(text)}&limit=${searchLimit}`),
      /\s/.test(text) ? null : this.#link(text),
    ]);
    const words = normalise(text).split(' ').filter(Boolean);
    const streets = [...new Set(hits.filter((hit) => hit.type === 'straat').map((hit) => hit.label))]
      .filter((name) => words.every((w) => normalise(name).includes(w)))
      .slice(0, maxStreets);
    const links = (await Promise.all(streets.map((street) => this.#linksOf(street)))).flat();
    return byId && !links.some((l) => idOf(l) === idOf(byId)) ? [byId, ...links] : links;
  }

  /** The links with these ids, as far as they can be read: those seen already, the others asked one by one. */
  async byIds(ids: readonly string[]): Promise<OgcFeature[]> {
    const found = await Promise.all(ids.map((id) => this.#known.get(id) ?? this.#link(id)));
    return found.filter((f): f is OgcFeature => f !== null);
  }

  #linksOf(street: string): Promise<OgcFeature[]> {
    let links = this.#streets.get(street);
    if (!links) {
      links = this.api
        .get<{ features: OgcFeature[] }>(`/ogc/collections/wegvakken/items?naam=${encodeURIComponent(street)}&limit=${streetPageSize}`)
        .then((page) => page.features.map((f) => this.#remember(f)).sort((a, b) => idOf(a).localeCompare(idOf(b), 'nl', { numeric: true })));
      this.#streets.set(street, links);
      // A failed read is asked again next time rather than remembered.
      links.catch(() => this.#streets.delete(street));
    }
    return links;
  }

  /** The link with id `id`, or null when there is none (or this role may not read it). */
  async #link(id: string): Promise<OgcFeature | null> {
    const feature = await this.api.find<OgcFeature>(`/ogc/collections/wegvakken/items/${encodeURIComponent(id)}`).catch(() => null);
    return feature ? this.#remember(feature) : null;
  }

  #remember(feature: OgcFeature): OgcFeature {
    const link = { ...feature, geometry: null };
    this.#known.set(idOf(link), link);
    return link;
  }
}

/** A feature's id as a scenario stores it (road links, facilities, buurten): its `id` property, else the feature's id. */
export const idOf = (feature: OgcFeature): string => String(feature.properties['id'] ?? feature.id);

/** A feature's name for a list, its id when it has none. */
export const nameOf = (feature: OgcFeature): string => String(feature.properties['naam'] ?? idOf(feature));
