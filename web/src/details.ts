import { ProblemError } from './api';
import type { App, Selection } from './app';
import type { Catalog, DatasetInfo } from './catalog';
import { h, replaceChildren } from './dom';
import { formatDate, formatNumber, type MessageKey } from './i18n';
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
 * The lineage rows of a feature: its dataset and, from the catalog, the owner (publisher), the last update,
 * the classification, the licence and how the data came about. The catalog entry is the one the caller's
 * role may read; without it only the dataset id is shown.
 */
export function lineageRows(feature: OgcFeature, dataset: DatasetInfo | undefined, t: (key: MessageKey) => string, language: 'nl' | 'en'): [string, string][] {
  const id = String(feature.properties['dataset'] ?? '');
  if (!dataset) {
    return [[t('details.dataset'), id || '—']];
  }
  const rows: [string, string][] = [
    [t('details.dataset'), dataset.titel],
    [t('details.owner'), dataset.uitgever.naam],
    [t('details.updated'), formatDate(language, dataset.gewijzigd)],
    [t('details.classification'), t(`classification.${dataset.classificatie}` as MessageKey)],
    [t('details.licence'), dataset.licentie],
    [t('details.origin'), dataset.herkomst],
  ];
  const validFrom = feature.properties['geldigVanaf'];
  if (typeof validFrom === 'string') {
    rows.push([t('details.validfrom'), formatDate(language, validFrom)]);
  }
  return rows;
}

/**
 * `<aside id="details">`: the selected object's data and lineage, fetched from the items endpoint with the
 * caller's credentials (so it shows what the access seam allows), or a note that there is nothing to show.
 */
export class DetailsPanel {
  #feature: OgcFeature | null = null;
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
    try {
      const feature = await this.app.api.get<OgcFeature>(
        `/ogc/collections/${encodeURIComponent(selection.collection)}/items/${encodeURIComponent(selection.id)}${peildatum}`,
      );
      if (request !== this.#request) {
        return;
      }
      this.#feature = feature;
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
    const name = String(feature.properties['naam'] ?? feature.properties['adres'] ?? feature.id);
    const layerName = t(`layer.${collection}` as MessageKey);
    replaceChildren(
      this.aside,
      h('h2', { class: 'utrecht-heading-2', id: 'details-titel', tabindex: -1 }, name),
      h('p', { class: 'details-laag' }, `${layerName} · ${t('details.id')} ${feature.id}`),
      dataset?.synthetisch ? h('p', { class: 'utrecht-data-badge details-synthetisch' }, t('details.synthetic')) : null,
      h('h3', { class: 'utrecht-heading-3' }, t('details.lineage')),
      definitionList(lineageRows(feature, dataset, t, this.app.language)),
      dataset ? null : h('p', {}, t('details.nolineage')),
      h('h3', { class: 'utrecht-heading-3' }, t('details.data')),
      definitionList(dataRows(feature, this.app.language)),
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
