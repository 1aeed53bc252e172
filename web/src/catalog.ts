import type { ApiClient } from './api';

/**
 * What the platform tells this caller about its data: the collections (extent, source datasets), the catalog's
 * datasets (lineage: owner, last update, classification) and the indicators. Loaded again after sign-in or
 * sign-out, since the access seam decides what each role sees.
 */

export interface CollectionInfo {
  readonly id: string;
  readonly title: string;
  readonly synthetisch: boolean;
  readonly datasets: readonly string[];
  readonly extent: { readonly spatial: { readonly bbox: readonly (readonly number[])[] } };
}

export interface DatasetInfo {
  readonly id: string;
  readonly titel: string;
  readonly beschrijving: string;
  readonly uitgever: { readonly naam: string; readonly uri: string };
  readonly maker: { readonly naam: string; readonly uri: string };
  readonly classificatie: string;
  readonly licentie: string;
  readonly gewijzigd: string;
  readonly herkomst: string;
  readonly synthetisch: boolean;
}

export interface IndicatorInfo {
  readonly code: string;
  readonly naam: string;
  readonly beschrijving: string;
  readonly eenheid: string;
  readonly bronDataset: string;
  readonly methode: string;
  readonly persoonsgegevens: boolean;
}

/** A catalog load started before the map view asked for it ({@link Catalog.prefetch}), with the credentials it was made with. */
let prefetched: { readonly credentials: string; readonly catalog: Promise<Catalog> } | null = null;

export class Catalog {
  private constructor(
    readonly collections: readonly CollectionInfo[],
    readonly datasets: readonly DatasetInfo[],
    readonly indicators: readonly IndicatorInfo[],
  ) {}

  /**
   * Starts loading the catalog now, for the next {@link load} with the same credentials: the page asks for it while it
   * asks for `/config.json`, not after (issue 5: the requests before the map is made are the first view's critical path).
   */
  static prefetch(api: ApiClient): void {
    prefetched = { credentials: JSON.stringify(api.headers()), catalog: Catalog.#fetch(api) };
    // A failed prefetch is the next load's failure to report; unobserved until then, it is not an unhandled rejection.
    prefetched.catalog.catch(() => undefined);
  }

  /** The catalog as `api`'s credentials see it: the prefetched one once, when its credentials are the same, else a new load. */
  static load(api: ApiClient): Promise<Catalog> {
    const early = prefetched;
    prefetched = null;
    return early && early.credentials === JSON.stringify(api.headers()) ? early.catalog : Catalog.#fetch(api);
  }

  static async #fetch(api: ApiClient): Promise<Catalog> {
    const [collections, datasets, indicators] = await Promise.all([
      api.get<{ collections: CollectionInfo[] }>('/ogc/collections'),
      api.get<DatasetInfo[]>('/api/v1/datasets'),
      api.get<IndicatorInfo[]>('/api/v1/indicatoren'),
    ]);
    return new Catalog(collections.collections, datasets, indicators);
  }

  /** For tests and for a catalog made from data at hand. */
  static of(collections: readonly CollectionInfo[], datasets: readonly DatasetInfo[], indicators: readonly IndicatorInfo[]): Catalog {
    return new Catalog(collections, datasets, indicators);
  }

  collection(id: string): CollectionInfo | undefined {
    return this.collections.find((c) => c.id === id);
  }

  dataset(id: string): DatasetInfo | undefined {
    return this.datasets.find((d) => d.id === id);
  }

  indicator(code: string): IndicatorInfo | undefined {
    return this.indicators.find((i) => i.code === code);
  }

  /** The collections with data this caller may read: a collection none of whose datasets the catalog shows has nothing to draw. */
  available(): Set<string> {
    return new Set(
      this.collections.filter((c) => c.datasets.length === 0 || c.datasets.some((d) => this.dataset(d) !== undefined)).map((c) => c.id),
    );
  }

  /** The readable datasets a collection's features come from. */
  datasetsOf(collectionId: string): DatasetInfo[] {
    return (this.collection(collectionId)?.datasets ?? []).map((d) => this.dataset(d)).filter((d): d is DatasetInfo => d !== undefined);
  }

  /**
   * The city's extent in CRS84: the municipality's collection where it has features, else the union of the
   * collections that hold data. `undefined` when nothing has data.
   */
  cityExtent(): [number, number, number, number] | undefined {
    const withData = this.collections.filter((c) => c.datasets.length > 0 && c.id !== 'sensoren');
    const gemeente = withData.find((c) => c.id === 'gemeenten');
    const boxes = (gemeente ? [gemeente] : withData).map((c) => c.extent.spatial.bbox[0]).filter((b): b is readonly number[] => !!b && b.length >= 4);
    if (boxes.length === 0) {
      return undefined;
    }
    return [
      Math.min(...boxes.map((b) => b[0]!)),
      Math.min(...boxes.map((b) => b[1]!)),
      Math.max(...boxes.map((b) => b[2]!)),
      Math.max(...boxes.map((b) => b[3]!)),
    ];
  }

  /** Whether the data shown is synthetic (the demo city): the page then says so. */
  synthetic(): boolean {
    return this.collections.some((c) => c.synthetisch);
  }
}
