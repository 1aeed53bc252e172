import { ProblemError } from './api';
import type { App, Selection } from './app';
import type { Catalog, DatasetInfo } from './catalog';
import { h, replaceChildren } from './dom';
import { formatDate, formatNumber, messages, type MessageKey } from './i18n';
import type { OgcFeature } from './search';

/** Properties that are lineage or technical, shown in the lineage part or not at all. */
const lineageProperties = new Set(['dataset', 'geldigVanaf', 'geldigTot', 'staUrl', 'datastreams', 'id']);

/** The rows (term, description) of a feature's own data, in the order the platform sent them. */
export function dataRows(feature: OgcFeature, language: 'nl' | 'en'): [string, string][] {
  const rows: [string, string][] = [];
  for (const [name, value] of Object.entries(feature.properties)) {
    if (lineageProperties.has(name) || value === null || value === undefined || typeof value === 'object') {
      continue;
    }
    rows.push([name, typeof value === 'number' ? formatNumber(language, value, 2) : String(value)]);
  }
  return rows;
}

/**
 * The name the panel gives a feature: its `naam`, else its BAG-like address (`openbareruimtenaam`, `huisnummer`,
 * `huisletter`, `postcode`, written "Voorstraat 12a, 3311 AB" as Dutch addresses are), else its id.
 */
export function featureTitle(feature: OgcFeature): string {
  const p = feature.properties;
  if (typeof p['naam'] === 'string') {
    return p['naam'];
  }
  if (typeof p['openbareruimtenaam'] === 'string' && typeof p['huisnummer'] === 'number') {
    const house = `${p['openbareruimtenaam']} ${p['huisnummer']}${typeof p['huisletter'] === 'string' ? p['huisletter'] : ''}`;
    const postcode = p['postcode'];
    return typeof postcode === 'string' && /^\d{4}[A-Z]{2}$/.test(postcode) ? `${house}, ${postcode.slice(0, 4)} ${postcode.slice(4)}` : house;
  }
  return String(p['adres'] ?? feature.id);
}

/**
 * The lineage of a feature as `/api/v1/herkomst/{collection}/{feature}` gives it: dataset, owner (publisher), how
 * the data came about, last update, validity of this version, classification and licence.
 */
export interface Lineage {
  readonly dataset: string | null;
  readonly datasetTitel: string | null;
  readonly eigenaar: string | null;
  readonly bron: string | null;
  readonly laatstBijgewerkt: string | null;
  readonly geldigVanaf: string | null;
  readonly classificatie: string | null;
  readonly licentie: string | null;
  readonly synthetisch: boolean | null;
}

/**
 * The same lineage put together from the feature's `dataset` and the catalog entry the caller's role may read,
 * for a platform without the lineage endpoint.
 */
export function lineageFromCatalog(feature: OgcFeature, dataset: DatasetInfo | undefined): Lineage {
  const validFrom = feature.properties['geldigVanaf'];
  return {
    dataset: dataset?.id ?? (typeof feature.properties['dataset'] === 'string' ? feature.properties['dataset'] : null),
    datasetTitel: dataset?.titel ?? null,
    eigenaar: dataset?.uitgever.naam ?? null,
    bron: dataset?.herkomst ?? null,
    laatstBijgewerkt: dataset?.gewijzigd ?? null,
    geldigVanaf: typeof validFrom === 'string' ? validFrom : null,
    classificatie: dataset?.classificatie ?? null,
    licentie: dataset?.licentie ?? null,
    synthetisch: dataset?.synthetisch ?? null,
  };
}

/** The lineage rows of the panel: always the four of the contract (dataset, owner, last update, classification), then what else is known. */
export function lineageRows(lineage: Lineage, t: (key: MessageKey) => string, language: 'nl' | 'en'): [string, string][] {
  const unknown = '—';
  const rows: [string, string][] = [
    [t('details.dataset'), lineage.datasetTitel ?? lineage.dataset ?? unknown],
    [t('details.owner'), lineage.eigenaar ?? unknown],
    [t('details.updated'), lineage.laatstBijgewerkt ? formatDate(language, lineage.laatstBijgewerkt) : unknown],
    [t('details.classification'), lineage.classificatie ? classificationName(lineage.classificatie, t) : unknown],
  ];
  if (lineage.licentie) {
    rows.push([t('details.licence'), lineage.licentie]);
  }
  if (lineage.bron) {
    rows.push([t('details.origin'), lineage.bron]);
  }
  if (lineage.geldigVanaf) {
    rows.push([t('details.validfrom'), formatDate(language, lineage.geldigVanaf)]);
  }
  return rows;
}

function classificationName(classification: string, t: (key: MessageKey) => string): string {
  const key = `classification.${classification}`;
  return key in messages.nl ? t(key as MessageKey) : classification;
}

/**
 * `<aside id="details">`: the selected object's data and lineage, fetched from the items endpoint with the
 * caller's credentials (so it shows what the access seam allows), or a note that there is nothing to show.
 */
export class DetailsPanel {
  #feature: OgcFeature | null = null;
  #lineage: Lineage | null = null;
  #request = 0;

  constructor(
    private readonly aside: HTMLElement,
    private readonly app: App,
    private readonly catalog: () => Catalog,
    private readonly onFeature: (feature: OgcFeature) => void,
  ) {
    this.render();
  }

  /** Loads and shows `selection`; resolves when the panel shows it (or says it cannot). */
  async show(selection: Selection | null, move = false): Promise<void> {
    const request = ++this.#request;
    if (!selection) {
      this.#feature = null;
      this.render();
      return;
    }
    // A sensor has no versions: the items endpoint refuses a date for it.
    const peildatum = this.app.peildatum && selection.collection !== 'sensoren' ? `?datetime=${this.app.peildatum}` : '';
    const path = `${encodeURIComponent(selection.collection)}/${encodeURIComponent(selection.id)}`;
    try {
      const [feature, lineage] = await Promise.all([
        this.app.api.get<OgcFeature>(`/ogc/collections/${encodeURIComponent(selection.collection)}/items/${encodeURIComponent(selection.id)}${peildatum}`),
        // The platform's lineage endpoint where it has one; else (null) the panel builds it from the catalog.
        this.app.api.find<Lineage>(`/api/v1/herkomst/${path}${this.app.peildatum ? `?peildatum=${this.app.peildatum}` : ''}`).catch(() => null),
      ]);
      if (request !== this.#request) {
        return;
      }
      this.#feature = feature;
      this.#lineage = lineage;
      this.render(selection);
      if (move) {
        this.onFeature(feature);
      }
    } catch (error) {
      if (request !== this.#request) {
        return;
      }
      this.#feature = null;
      this.render(selection, error instanceof ProblemError && error.status === 404 ? this.app.t('details.notfound') : String((error as Error).message));
    }
  }

  /** Draws the panel again (e.g. in another language). */
  render(selection?: Selection, message?: string): void {
    const t = this.app.t.bind(this.app);
    const feature = this.#feature;
    const collection = selection?.collection ?? this.app.selection?.collection;
    const close = h('button', { type: 'button', class: 'utrecht-button utrecht-button--subtle details-sluiten' }, t('details.close'));
    close.addEventListener('click', () => this.app.setSelection(null));
    if (!feature || !collection) {
      replaceChildren(
        this.aside,
        h('h2', { class: 'utrecht-heading-2', id: 'details-titel' }, t('details.title')),
        h('p', { class: 'details-leeg' }, message ?? t('details.empty')),
      );
      return;
    }
    const dataset = this.catalog().dataset(String(feature.properties['dataset'] ?? ''));
    const lineage = this.#lineage ?? lineageFromCatalog(feature, dataset);
    const name = featureTitle(feature);
    const layerName = t(`layer.${collection}` as MessageKey);
    // A sensor's recent history (a chart and its table, which live/view.ts keeps in `#sensorverloop`) belongs with
    // its data: the same element moves into the panel, so it keeps what it shows while the panel redraws.
    const history = collection === 'sensoren' ? document.getElementById('sensorverloop') : null;
    replaceChildren(
      this.aside,
      h('h2', { class: 'utrecht-heading-2', id: 'details-titel', tabindex: -1 }, name),
      h('p', { class: 'details-laag' }, `${layerName} · ${t('details.id')} ${feature.id}`),
      lineage.synthetisch ? h('p', { class: 'utrecht-data-badge details-synthetisch' }, t('details.synthetic')) : null,
      h('h3', { class: 'utrecht-heading-3' }, t('details.lineage')),
      definitionList(lineageRows(lineage, t, this.app.language)),
      lineage.eigenaar ? null : h('p', {}, t('details.nolineage')),
      h('h3', { class: 'utrecht-heading-3' }, t('details.data')),
      definitionList(dataRows(feature, this.app.language)),
      history,
      close,
    );
  }

  /** Moves keyboard focus to the panel's heading (after a choice from search or the table). */
  focus(): void {
    this.aside.querySelector<HTMLElement>('#details-titel')?.focus();
  }
}

function definitionList(rows: readonly [string, string][]): HTMLElement {
  return h(
    'dl',
    { class: 'details-lijst' },
    rows.flatMap(([term, description]) => [h('dt', {}, term), h('dd', {}, description)]),
  );
}
