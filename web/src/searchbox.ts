import { ProblemError } from './api';
import type { App } from './app';
import { h, replaceChildren } from './dom';
import { messages, type MessageKey } from './i18n';
import { itemsOf, search, type OgcFeature, type SearchItem } from './search';

/** The collections searched in the browser while the platform has no `/api/v1/zoeken`. */
const searchedCollections = ['gemeenten', 'wijken', 'buurten', 'voorzieningen', 'sensoren', 'beheerobjecten'];

/** The most results shown at once. */
const maxResults = 10;

/**
 * Reads an answer of `/api/v1/zoeken` into search items: a list, or an object with `resultaten` or `items`,
 * whose entries name their kind (`soort`/`type`), label (`label`/`naam`), collection (`collectie`/`collectionId`),
 * feature (`id`/`featureId`) and optionally a point (`punt` [lon, lat] or a GeoJSON Point in `geometrie`).
 */
export function itemsOfServerAnswer(answer: unknown): SearchItem[] {
  const list = Array.isArray(answer) ? answer : ((answer as Record<string, unknown>)?.['resultaten'] ?? (answer as Record<string, unknown>)?.['items'] ?? []);
  if (!Array.isArray(list)) {
    return [];
  }
  return list.flatMap((entry: Record<string, unknown>) => {
    const collection = entry['collectie'] ?? entry['collectionId'] ?? entry['collection'];
    const featureId = entry['featureId'] ?? entry['id'];
    const label = entry['label'] ?? entry['naam'];
    if (typeof collection !== 'string' || typeof featureId !== 'string' || typeof label !== 'string') {
      return [];
    }
    const kind = String(entry['soort'] ?? entry['type'] ?? collection);
    const punt = entry['punt'] ?? (entry['geometrie'] as { coordinates?: unknown } | undefined)?.coordinates;
    const point = Array.isArray(punt) && typeof punt[0] === 'number' && typeof punt[1] === 'number' ? ([punt[0], punt[1]] as [number, number]) : undefined;
    return [{ kind, label, collection, featureId, ...(point ? { point } : {}) }];
  });
}

/**
 * The search box `#zoeken` as a combobox (WAI-ARIA 1.2 pattern) with its listbox `#zoekresultaten`: arrow keys
 * move through the results, Enter chooses, Escape closes. Asks `/api/v1/zoeken` and, where the platform has no
 * such endpoint, ranks the OGC items of the searched collections in the browser.
 */
export class SearchBox {
  #results: SearchItem[] = [];
  #active = -1;
  #serverSearch: boolean | null = null;
  #localIndex: Promise<SearchItem[]> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #query = 0;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly list: HTMLUListElement,
    private readonly status: HTMLElement,
    private readonly app: App,
    private readonly choose: (item: SearchItem) => void,
  ) {
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');
    list.setAttribute('role', 'listbox');
    input.addEventListener('input', () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.run(input.value), 150);
    });
    input.addEventListener('keydown', (event) => this.#key(event));
    app.on('role', () => {
      // Another role may see other things: build the index again.
      this.#localIndex = null;
    });
  }

  /**
   * Searches for `query` and shows the results; resolves with them. When the platform does not answer, the list closes
   * and the status says why (resolving with none): a search that fails must not look like one still on its way.
   */
  async run(query: string): Promise<SearchItem[]> {
    const request = ++this.#query;
    const trimmed = query.trim();
    let results: SearchItem[] = [];
    let failure: string | null = null;
    try {
      results = trimmed.length === 0 ? [] : await this.#search(trimmed);
    } catch (error) {
      failure = searchFailure(error, this.app.t.bind(this.app));
    }
    if (request !== this.#query) {
      return results;
    }
    this.#results = results;
    this.#active = -1;
    this.#render(trimmed, failure);
    return results;
  }

  /** Drops the local index, e.g. after the reference date changed. */
  invalidate(): void {
    this.#localIndex = null;
  }

  async #search(query: string): Promise<SearchItem[]> {
    if (this.#serverSearch !== false) {
      try {
        const answer = await this.app.api.get<unknown>(`/api/v1/zoeken?q=${encodeURIComponent(query)}`);
        this.#serverSearch = true;
        return itemsOfServerAnswer(answer).slice(0, maxResults);
      } catch (error) {
        if (!(error instanceof ProblemError && error.status === 404 && this.#serverSearch === null)) {
          throw error;
        }
        this.#serverSearch = false;
      }
    }
    return search(await this.#index(), query, maxResults);
  }

  #index(): Promise<SearchItem[]> {
    this.#localIndex ??= Promise.all(
      searchedCollections.map(async (collection) => {
        try {
          const page = await this.app.api.get<{ features: OgcFeature[] }>(`/ogc/collections/${collection}/items?limit=10000`);
          return itemsOf(collection, page.features);
        } catch {
          // A collection this role may not read, or that is empty: nothing to find there.
          return [];
        }
      }),
    ).then((lists) => lists.flat());
    return this.#localIndex;
  }

  #render(query: string, failure: string | null = null): void {
    const t = this.app.t.bind(this.app);
    replaceChildren(
      this.list,
      this.#results.map((item, i) => {
        const option = h(
          'li',
          { role: 'option', id: `zoekresultaat-${i}`, 'aria-selected': i === this.#active ? 'true' : 'false', class: 'zoekresultaat' },
          h('span', { class: 'zoekresultaat-naam' }, item.label),
          ' ',
          h('span', { class: 'zoekresultaat-soort' }, kindLabel(item.kind, t)),
        );
        // mousedown, not click: the input keeps focus until the choice is made.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          this.#choose(i);
        });
        return option;
      }),
    );
    const open = this.#results.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    this.status.textContent = failure ?? (query ? (open ? t('search.results', { count: this.#results.length }) : t('search.none', { query })) : '');
    // Only while the option is there: after a choice or Escape the list is empty, and a reference to a gone option is invalid ARIA.
    if (this.#active >= 0 && this.#active < this.#results.length) {
      this.input.setAttribute('aria-activedescendant', `zoekresultaat-${this.#active}`);
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  #key(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (this.#results.length === 0) {
        return;
      }
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.#active = (this.#active + step + this.#results.length) % this.#results.length;
      this.#render(this.input.value.trim());
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (this.#results.length > 0) {
        this.#choose(this.#active >= 0 ? this.#active : 0);
      } else {
        void this.run(this.input.value);
      }
    } else if (event.key === 'Escape') {
      this.#results = [];
      this.#render('');
    }
  }

  #choose(index: number): void {
    const item = this.#results[index];
    if (!item) {
      return;
    }
    this.input.value = item.label;
    this.#results = [];
    this.#render('');
    this.choose(item);
  }
}

/**
 * What the search box says when the platform did not answer: a refusal for too many requests (which the API client has
 * already retried where the wait was short) with the wait the platform asked for, anything else with its explanation.
 */
export function searchFailure(error: unknown, t: (key: MessageKey, params?: Record<string, string | number>) => string): string {
  if (error instanceof ProblemError && error.status === 429) {
    return error.retryAfterSeconds === null ? t('search.busy') : t('search.busyFor', { seconds: error.retryAfterSeconds });
  }
  return t('search.failed', { detail: error instanceof Error ? error.message : String(error) });
}

/** The kind's name in the current language; a kind the tables do not know (a newer server's) is shown as it came. */
function kindLabel(kind: string, t: (key: MessageKey) => string): string {
  const key = `search.kind.${kind}`;
  return key in messages.nl ? t(key as MessageKey) : kind;
}
