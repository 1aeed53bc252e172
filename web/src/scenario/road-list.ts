import { h, replaceChildren } from '../dom';
import type { OgcFeature } from '../search';
import type { ScenarioKey } from './messages';
import { idOf, nameOf, type RoadFinder } from './roads';

/** The most roads (and, in the editor, facilities) a filtered list shows at once: enough to find one, few enough to tab through. */
export const maxListed = 50;

/** How long the filter waits after a keystroke before it asks the platform, ms. */
const filterSettleMs = 250;

/** What the road list reads and changes of the intervention in the editor's form. */
export interface ChosenRoads {
  /** The ids of the chosen road links (the intervention's `wegvakken`). */
  get(): readonly string[];
  /** Chooses exactly these links (the editor stores them and highlights them on its map). */
  set(ids: readonly string[]): void;
}

/**
 * The keyboard way to choose road links (`#ingreep-wegvakken-veld`), beside clicking them on the map: a filter by
 * street name, the matching links (at most {@link maxListed}) and every chosen one as checkboxes, and a live count.
 * Links are found on the platform as typed ({@link RoadFinder}), not loaded all at once.
 */
export class RoadList {
  readonly #filter = h('input', { id: 'ingreep-wegvakken-zoek', type: 'search', class: 'utrecht-textbox utrecht-textbox--html-input', autocomplete: 'off', 'aria-describedby': 'ingreep-wegvakken-aantal' });
  readonly #count = h('p', { id: 'ingreep-wegvakken-aantal', 'aria-live': 'polite' });
  readonly #list = h('ul', { id: 'ingreep-wegvakken-lijst', class: 'keuzelijst' });
  /** The latest list asked for: an earlier answer that arrives later is dropped. */
  #request = 0;

  constructor(
    private readonly finder: () => RoadFinder,
    private readonly chosen: ChosenRoads,
    private readonly t: (key: ScenarioKey, params?: Record<string, string | number>) => string,
  ) {
    let typing: ReturnType<typeof setTimeout> | undefined;
    this.#filter.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => void this.render(), filterSettleMs);
    });
  }

  /** The fieldset of the roads parameter, `label` its legend and `error` its problem element; the filter starts empty. */
  element(label: string, error: HTMLElement): HTMLElement {
    this.#filter.value = '';
    this.#list.setAttribute('aria-label', this.t('ingreep.roads.legend'));
    const fieldset = h('fieldset', { class: 'utrecht-form-fieldset', 'data-veld': 'wegvakken', id: 'ingreep-wegvakken-veld' },
      h('legend', { class: 'utrecht-form-fieldset__legend' }, label),
      h('div', { class: 'utrecht-form-field' }, h('label', { for: this.#filter.id, class: 'utrecht-form-label' }, this.t('ingreep.roads.filter')), this.#filter),
      this.#count,
      this.#list,
      error,
    );
    void this.render();
    return fieldset;
  }

  /** Lists every chosen road and the roads matching the filter (at most {@link maxListed}) as checkboxes. */
  async render(): Promise<void> {
    const request = ++this.#request;
    const chosen = new Set(this.chosen.get());
    const finder = this.finder();
    const [chosenRoads, matches] = await Promise.all([finder.byIds([...chosen]), finder.find(this.#filter.value)]).catch(() => [[], []] as OgcFeature[][]);
    if (request !== this.#request) {
      // A later keystroke or choice asked again: its answer is the one to show.
      return;
    }
    const shown = [...chosenRoads, ...matches.filter((f) => !chosen.has(idOf(f))).slice(0, maxListed)];
    const found = this.#filter.value.trim() ? this.t('ingreep.roads.results', { count: matches.length, shown: Math.min(maxListed, matches.length) }) : '';
    this.#count.textContent = `${found} ${this.t('ingreep.roads.chosen', { count: chosen.size })}`.trim();
    replaceChildren(this.#list, shown.map((road, i) => this.#option(road, i, chosen.has(idOf(road)))));
  }

  #option(road: OgcFeature, index: number, checked: boolean): HTMLElement {
    const box = h('input', { type: 'checkbox', id: `ingreep-wegvak-${index}`, value: idOf(road), checked });
    box.addEventListener('change', () => {
      const now = new Set(this.chosen.get());
      if (box.checked) {
        now.add(box.value);
      } else {
        now.delete(box.value);
      }
      this.chosen.set([...now]);
      this.#count.textContent = this.t('ingreep.roads.chosen', { count: now.size });
    });
    const text = this.t('ingreep.roads.option', {
      name: nameOf(road),
      id: idOf(road),
      class: String(road.properties['wegklasse'] ?? '—'),
      speed: String(road.properties['maximumsnelheid'] ?? '—'),
    });
    return h('li', {}, box, ' ', h('label', { for: box.id }, text));
  }
}
