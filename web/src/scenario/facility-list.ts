import { h, replaceChildren } from '../dom';
import { normalise, type OgcFeature } from '../search';
import type { ScenarioKey } from './messages';
import { maxListed } from './road-list';
import { idOf, nameOf } from './roads';

/** What the facility list reads and changes of the intervention in the editor's form. */
export interface ChosenFacility {
  /** The id of the chosen facility (the intervention's `voorziening`), '' when none. */
  get(): string;
  set(id: string): void;
}

/** Filters features by the words of `query` in their name, kind and id (accents and case ignored). */
export function filterFeatures(features: readonly OgcFeature[], query: string): OgcFeature[] {
  const words = normalise(query).split(' ').filter(Boolean);
  return features.filter((f) => {
    const text = normalise(`${nameOf(f)} ${String(f.properties['type'] ?? '')} ${idOf(f)}`);
    return words.every((w) => text.includes(w));
  });
}

/**
 * The keyboard way to choose a facility (`#ingreep-voorziening-veld`), beside clicking it on the map: a filter by name
 * or kind and a `select` of the matches (at most {@link maxListed}), the chosen one always among them and named below.
 */
export class FacilityList {
  readonly #filter = h('input', { id: 'ingreep-voorziening-zoek', type: 'search', class: 'utrecht-textbox utrecht-textbox--html-input', autocomplete: 'off' });
  readonly #select = h('select', { id: 'ingreep-voorziening', name: 'voorziening', class: 'utrecht-select utrecht-select--html-select', required: true });
  readonly #chosenText = h('p', { id: 'ingreep-voorziening-gekozen', 'aria-live': 'polite' });

  constructor(
    private readonly facilities: () => Promise<OgcFeature[]>,
    private readonly chosen: ChosenFacility,
    private readonly t: (key: ScenarioKey, params?: Record<string, string | number>) => string,
  ) {
    this.#filter.addEventListener('input', () => void this.render());
    this.#select.addEventListener('change', () => {
      this.chosen.set(this.#select.value);
      void this.render();
    });
  }

  /** The fieldset of the facility parameter, `label` its legend and `error` its problem element; the filter starts empty. */
  element(label: string, error: HTMLElement): HTMLElement {
    this.#filter.value = '';
    this.#select.setAttribute('aria-describedby', `${this.#chosenText.id} ${error.id}`);
    const group = h('fieldset', { class: 'utrecht-form-fieldset', 'data-veld': 'voorziening', id: 'ingreep-voorziening-veld' },
      h('legend', { class: 'utrecht-form-fieldset__legend' }, label),
      h('div', { class: 'utrecht-form-field' }, h('label', { for: this.#filter.id, class: 'utrecht-form-label' }, this.t('ingreep.facility.filter')), this.#filter),
      h('div', { class: 'utrecht-form-field' }, h('label', { for: this.#select.id, class: 'utrecht-form-label' }, this.t('ingreep.facility.choice')), this.#select),
      this.#chosenText,
      error,
    );
    void this.render();
    return group;
  }

  /** The facilities matching the filter in the select, the chosen one always among them; `chosenName` names a facility just clicked. */
  async render(chosenName?: string): Promise<void> {
    const voorzieningen = await this.facilities();
    const chosen = this.chosen.get();
    const matches = filterFeatures(voorzieningen, this.#filter.value).slice(0, maxListed);
    const chosenFeature = voorzieningen.find((f) => idOf(f) === chosen);
    const shown = chosenFeature && !matches.includes(chosenFeature) ? [chosenFeature, ...matches] : matches;
    replaceChildren(
      this.#select,
      h('option', { value: '' }, this.t('ingreep.facility.none')),
      shown.map((f) => h('option', { value: idOf(f), selected: idOf(f) === chosen }, this.t('ingreep.facility.option', { name: nameOf(f), type: String(f.properties['type'] ?? '') }))),
    );
    if (chosen && !chosenFeature) {
      // An id the list does not hold (a facility of an older reference date): keep it as it is.
      this.#select.append(h('option', { value: chosen, selected: true }, chosen));
    }
    this.#chosenText.textContent = chosen ? this.t('ingreep.facility.chosen', { name: chosenName ?? (chosenFeature ? nameOf(chosenFeature) : chosen) }) : '';
  }
}
