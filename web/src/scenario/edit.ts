import { ProblemError } from '../api';
import type { App } from '../app';
import type { Catalog } from '../catalog';
import { announce, h, replaceChildren } from '../dom';
import { formatNumber } from '../i18n';
import type { OgcFeature } from '../search';
import type { WebConfig } from '../twinmap';
import { runScenario, saveScenario, type ScenarioVersion } from './api';
import { ScenarioMap } from './draw';
import { st, type ScenarioKey } from './messages';
import { FacilityList } from './facility-list';
import { RoadList } from './road-list';
import { RoadFinder, idOf, nameOf } from './roads';
import {
  fieldsOf,
  interventionFromBody,
  isKind,
  kindNames,
  missingOrOutOfRange,
  pointOf,
  polygonOf,
  problemsByField,
  resultsRoute,
  shortHash,
  type FieldSpec,
  type FieldValue,
  type Intervention,
  type InterventionKind,
  type PointGeometry,
  type PolygonGeometry,
} from './model';

/** The largest page of the OGC items endpoint (ItemsRequest.MaximumLimit). */
const pageSize = 10_000;

/** The collections the editor loads whole to choose from: buurten as areas and facilities (road links are found by name). */
type ChoiceCollection = 'buurten' | 'voorzieningen';

/**
 * The editor of one scenario (`#scenario-editor`): name, description and reference date; the interventions as a table
 * with edit and remove buttons; a form per intervention with its parameters (the server's ranges as HTML constraints),
 * each geometry drawn on the map or given by keyboard (a buurt as the area, coordinates as the point, roads and
 * facilities from filtered lists); saving makes a version, and a saved version can be run.
 */
export class ScenarioEditor {
  readonly element: HTMLElement;
  #id: number | null = null;
  #saved: ScenarioVersion | null = null;
  #interventions: Intervention[] = [];
  #dirty = false;
  /** The intervention in the form: its index in the list (or the list's length for a new one), kind and values. */
  #editing: { index: number; kind: InterventionKind; values: Record<string, FieldValue> } | null = null;
  #problems = new Map<string, readonly string[]>();
  #map: ScenarioMap | null = null;
  /** Each collection's features, loaded once per role when a form first needs them. */
  readonly #choices = new Map<ChoiceCollection, Promise<OgcFeature[]>>();
  /** The road links, found by street name on the platform rather than all loaded (see {@link RoadFinder}). */
  #roads: RoadFinder;
  /** The keyboard way to choose road links, beside the map. */
  readonly #roadList: RoadList;
  /** The keyboard way to choose a facility, beside the map. */
  readonly #facilityList: FacilityList;
  #running = false;

  readonly #title = h('h2', { class: 'utrecht-heading-2', id: 'scenario-editor-titel', tabindex: -1 });
  readonly #form = h('form', { id: 'scenario-formulier', class: 'scenario-formulier', novalidate: true });
  readonly #name = h('input', { id: 'scenario-naam', name: 'naam', class: 'utrecht-textbox utrecht-textbox--html-input', required: true, maxlength: 200, autocomplete: 'off' });
  readonly #description = h('textarea', { id: 'scenario-beschrijving', name: 'beschrijving', class: 'utrecht-textarea', maxlength: 4000, rows: 2 });
  readonly #date = h('input', { id: 'scenario-peildatum', name: 'peildatum', type: 'date', class: 'utrecht-textbox utrecht-textbox--html-input', required: true });
  readonly #version = h('p', { id: 'scenario-versie', class: 'scenario-versie' });
  readonly #status = h('div', { id: 'scenario-status', class: 'scenario-status', role: 'status' });
  readonly #serverProblems = h('div', { id: 'scenario-problemen', class: 'scenario-problemen' });
  readonly #table = h('table', { id: 'ingrepen-tabel', class: 'utrecht-table' });
  readonly #kind = h('select', { id: 'ingreep-soort', class: 'utrecht-select utrecht-select--html-select' });
  readonly #interventionForm = h('fieldset', { id: 'ingreep-formulier', class: 'ingreep-formulier', hidden: true });
  readonly #save = h('button', { type: 'submit', id: 'scenario-opslaan', class: 'utrecht-button utrecht-button--primary-action' });
  readonly #run = h('button', { type: 'button', id: 'scenario-doorrekenen', class: 'utrecht-button utrecht-button--secondary-action' });
  readonly #runHint = h('p', { id: 'scenario-doorrekenen-uitleg', class: 'scenario-uitleg' });
  readonly #close = h('button', { type: 'button', id: 'scenario-sluiten', class: 'utrecht-button utrecht-button--subtle' });
  readonly #mapElement = h('div', { id: 'scenario-kaart', class: 'scenario-kaart', role: 'region', 'aria-describedby': 'scenario-kaart-uitleg' });
  readonly #mapDescription = h('p', { id: 'scenario-kaart-uitleg', class: 'visueel-verborgen' });
  readonly #mapHint = h('p', { id: 'scenario-kaart-hint', class: 'scenario-kaart-hint', 'aria-live': 'polite' });

  constructor(
    private readonly app: App,
    private readonly config: () => Promise<{ catalog: Catalog; config: WebConfig }>,
    private readonly onSaved: () => void,
    private readonly onClose: () => void,
  ) {
    this.#roads = new RoadFinder(app.api);
    this.#roadList = new RoadList(() => this.#roads, {
      get: () => (this.#editing?.values['wegvakken'] as string[] | undefined) ?? [],
      set: (ids) => this.#chooseRoads(ids),
    }, (key, params) => this.#t(key, params));
    this.#facilityList = new FacilityList(() => this.#choicesOf('voorzieningen'), {
      get: () => (typeof this.#editing?.values['voorziening'] === 'string' ? (this.#editing.values['voorziening'] as string) : ''),
      set: (id) => {
        if (this.#editing) {
          this.#editing.values['voorziening'] = id;
        }
      },
    }, (key, params) => this.#t(key, params));
    this.element = h('section', { id: 'scenario-editor', class: 'scenario-editor', 'aria-labelledby': 'scenario-editor-titel', hidden: true });
    const add = h('button', { type: 'button', id: 'ingreep-toevoegen', class: 'utrecht-button utrecht-button--secondary-action' });
    this.element.append(
      this.#title,
      h('div', { class: 'scenario-indeling' },
        h('div', { class: 'scenario-velden' },
          this.#form,
          h('section', { class: 'ingrepen', 'aria-labelledby': 'ingrepen-titel' },
            h('h3', { class: 'utrecht-heading-3', id: 'ingrepen-titel' }),
            h('div', { class: 'tabel-rol' }, this.#table),
            h('div', { class: 'ingreep-kiezen' },
              h('div', { class: 'utrecht-form-field' }, h('label', { for: 'ingreep-soort', class: 'utrecht-form-label', 'data-st': 'ingrepen.add.kind' }), this.#kind),
              add,
            ),
            this.#interventionForm,
          ),
          h('div', { class: 'scenario-knoppen' }, this.#run, this.#close),
          this.#runHint,
        ),
        h('div', { class: 'scenario-kaart-vak' }, this.#mapDescription, this.#mapHint, this.#mapElement),
      ),
    );
    this.#form.append(
      this.#field('naam', this.#name),
      this.#field('beschrijving', this.#description),
      this.#field('peildatum', this.#date),
      this.#version,
      this.#status,
      this.#serverProblems,
      this.#save,
    );
    add.addEventListener('click', () => {
      if (isKind(this.#kind.value)) {
        this.#openIntervention(this.#interventions.length, this.#kind.value, {});
      }
    });
    for (const control of [this.#name, this.#description, this.#date]) {
      control.addEventListener('input', () => this.#changed());
    }
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    this.#run.addEventListener('click', () => void this.run());
    this.#close.addEventListener('click', () => this.onClose());
    this.#table.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-ingreep]');
      const index = Number(button?.dataset['ingreep']);
      const intervention = this.#interventions[index];
      if (!button || !intervention) {
        return;
      }
      if (button.dataset['actie'] === 'bewerken') {
        this.#openIntervention(index, intervention.soort, { ...intervention.values });
      } else {
        this.#interventions.splice(index, 1);
        this.#editing = null;
        this.#interventionForm.hidden = true;
        this.#changed();
        announce(this.#t('ingrepen.removed', { number: index + 1 }));
        this.#add().focus();
      }
    });
    app.on('language', () => this.#renderTexts());
    this.#renderTexts();
  }

  /** Opens the editor on a new scenario (`version` null) or on a stored version. */
  async open(version: ScenarioVersion | null): Promise<void> {
    this.#id = version?.id ?? null;
    this.#saved = version;
    this.#interventions = (version?.ingrepen ?? []).map(interventionFromBody).filter((i): i is Intervention => i !== null);
    this.#name.value = version?.naam ?? '';
    this.#description.value = version?.beschrijving ?? '';
    this.#date.value = version?.peildatum ?? this.app.peildatum ?? new Date().toISOString().slice(0, 10);
    this.#dirty = false;
    this.#editing = null;
    this.#problems = new Map();
    this.#interventionForm.hidden = true;
    replaceChildren(this.#status);
    replaceChildren(this.#serverProblems);
    this.element.hidden = false;
    this.#renderTexts();
    this.#title.focus();
    await this.#ensureMap();
    this.#map?.showInterventions(this.#interventions);
    this.#map?.showDrawing(null);
    this.#map?.use(null);
  }

  /** The scenario shown, or null for a new one. */
  get scenarioId(): number | null {
    return this.#id;
  }

  get map(): ScenarioMap | null {
    return this.#map;
  }

  /** Closes the editor; the map goes too after a change of role (it was made with the old role's catalog and tiles). */
  hide(dropMap = false): void {
    this.element.hidden = true;
    this.#id = null;
    this.#saved = null;
    this.#closeIntervention();
    if (dropMap) {
      this.#map?.remove();
      this.#map = null;
      this.#choices.clear();
      this.#roads = new RoadFinder(this.app.api);
    }
  }

  get #canWrite(): boolean {
    return this.app.role === 'analist' || this.app.role === 'beheerder';
  }

  #t(key: ScenarioKey, params?: Record<string, string | number>): string {
    return st(this.app.language, key, params);
  }

  #add(): HTMLButtonElement {
    return this.element.querySelector<HTMLButtonElement>('#ingreep-toevoegen')!;
  }

  async #ensureMap(): Promise<void> {
    if (this.#map) {
      this.#map.map.resize();
      return;
    }
    const { catalog, config } = await this.config();
    this.#map = new ScenarioMap(this.app, this.#mapElement, catalog, config);
    await this.#map.twin.ready();
    this.#mapElement.dataset['ready'] = 'true';
  }

  /** A labelled form field with the element for its problems, which the control names in `aria-describedby`. */
  #field(name: string, control: HTMLElement, key?: string): HTMLElement {
    const errorId = `fout-${control.id}`;
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), errorId].filter(Boolean).join(' '));
    return h('div', { class: 'utrecht-form-field', 'data-veld': key ?? name },
      h('label', { for: control.id, class: 'utrecht-form-label', 'data-st': `scenario.field.${name}` }),
      control,
      h('p', { id: errorId, class: 'veld-fout', 'data-fout': key ?? name }),
    );
  }

  #changed(): void {
    this.#dirty = true;
    this.#renderTable();
    this.#renderVersion();
    this.#map?.showInterventions(this.#interventions);
  }

  #renderTexts(): void {
    for (const element of this.element.querySelectorAll<HTMLElement>('[data-st]')) {
      element.textContent = this.#t(element.dataset['st'] as ScenarioKey);
    }
    this.#title.textContent = this.#saved ? this.#t('scenario.editor.title', { name: this.#saved.naam }) : this.#t('scenario.editor.new');
    this.element.querySelector('#ingrepen-titel')!.textContent = this.#t('ingrepen.title');
    this.#add().textContent = this.#t('ingrepen.add');
    this.#save.textContent = this.#t('scenario.save');
    this.#run.textContent = this.#t('scenario.run');
    this.#close.textContent = this.#t('scenario.close');
    this.#mapElement.setAttribute('aria-label', this.#t('map.label'));
    this.#mapDescription.textContent = this.#t('map.description');
    const chosen = this.#kind.value;
    replaceChildren(this.#kind, kindNames.map((kind) => h('option', { value: kind, selected: kind === chosen }, this.#t(`kind.${kind}`))));
    this.#renderTable();
    this.#renderVersion();
    if (this.#editing) {
      this.#renderInterventionForm();
    }
  }

  #renderVersion(): void {
    const write = this.#canWrite;
    this.#save.hidden = !write;
    this.#run.hidden = !write;
    this.#add().disabled = !write;
    this.#kind.disabled = !write;
    const parts = [this.#saved ? this.#t('scenario.version', { version: this.#saved.versie, hash: shortHash(this.#saved.inhoudshash) }) : this.#t('scenario.version.none')];
    if (this.#dirty) {
      parts.push(this.#t('scenario.version.dirty'));
    }
    this.#version.textContent = parts.join(' ');
    if (this.#saved) {
      this.#version.dataset['versie'] = String(this.#saved.versie);
      this.#version.dataset['inhoudshash'] = this.#saved.inhoudshash;
    }
    const runnable = write && this.#saved !== null && !this.#dirty && !this.#running;
    this.#run.disabled = !runnable;
    this.#runHint.textContent = !write ? this.#t('scenario.readonly') : runnable || this.#running ? '' : this.#t('scenario.run.needsave');
  }

  #summary(intervention: Intervention): string {
    return fieldsOf(intervention.soort)
      .map((field) => `${this.#t(`field.${field.name}` as ScenarioKey)}: ${this.#valueText(intervention.values[field.name])}`)
      .join('; ');
  }

  #valueText(value: FieldValue | undefined): string {
    if (value === undefined) {
      return '—';
    }
    if (Array.isArray(value)) {
      return this.#t('ingreep.roads.chosen', { count: value.length });
    }
    if (typeof value === 'object') {
      return value.type === 'Polygon'
        ? this.#t('ingreep.polygon.set', { count: Math.max(0, (value.coordinates[0]?.length ?? 1) - 1) })
        : this.#t('ingreep.point.set', { lon: formatNumber(this.app.language, value.coordinates[0], 5), lat: formatNumber(this.app.language, value.coordinates[1], 5) });
    }
    return typeof value === 'number' ? formatNumber(this.app.language, value, 3) : value;
  }

  #renderTable(): void {
    const t = this.#t.bind(this);
    const write = this.#canWrite;
    replaceChildren(
      this.#table,
      h('caption', { class: 'utrecht-table__caption' }, t('ingrepen.caption')),
      h('thead', { class: 'utrecht-table__header' },
        h('tr', { class: 'utrecht-table__row' },
          (['ingrepen.number', 'ingrepen.kind', 'ingrepen.summary', 'ingrepen.actions'] as const).map((key) => h('th', { scope: 'col', class: 'utrecht-table__header-cell' }, t(key))),
        ),
      ),
      h('tbody', { class: 'utrecht-table__body' },
        this.#interventions.length === 0
          ? h('tr', { class: 'utrecht-table__row' }, h('td', { class: 'utrecht-table__cell', colspan: 4 }, t('ingrepen.empty')))
          : this.#interventions.map((intervention, i) => {
              const problems = [...this.#problems].filter(([key]) => key === `ingrepen[${i}]` || key.startsWith(`ingrepen[${i}].`)).flatMap(([, list]) => list);
              return h('tr', { class: 'utrecht-table__row', 'data-soort': intervention.soort },
                h('th', { scope: 'row', class: 'utrecht-table__header-cell' }, String(i + 1)),
                h('td', { class: 'utrecht-table__cell' }, t(`kind.${intervention.soort}`)),
                h('td', { class: 'utrecht-table__cell' }, this.#summary(intervention),
                  problems.length > 0 ? h('ul', { class: 'veld-fout' }, problems.map((p) => h('li', {}, p))) : null),
                h('td', { class: 'utrecht-table__cell' },
                  h('div', { class: 'ingreep-acties' },
                    h('button', { type: 'button', class: 'utrecht-button utrecht-button--subtle', 'data-ingreep': i, 'data-actie': 'bewerken', 'aria-label': t('ingrepen.edit.label', { number: i + 1 }), disabled: !write }, t('ingrepen.edit')),
                    h('button', { type: 'button', class: 'utrecht-button utrecht-button--subtle', 'data-ingreep': i, 'data-actie': 'verwijderen', 'aria-label': t('ingrepen.remove.label', { number: i + 1 }), disabled: !write }, t('ingrepen.remove')),
                  ),
                ),
              );
            }),
      ),
    );
  }

  #openIntervention(index: number, kind: InterventionKind, values: Record<string, FieldValue>): void {
    this.#editing = { index, kind, values };
    this.#interventionForm.hidden = false;
    this.#renderInterventionForm();
    this.#interventionForm.querySelector<HTMLElement>('legend')?.focus();
    const roads = fieldsOf(kind).some((f) => f.kind === 'roads');
    const facility = fieldsOf(kind).some((f) => f.kind === 'facility');
    this.#map?.use(roads ? this.#roadsTool() : facility ? this.#facilityTool() : null);
    this.#map?.showDrawing(null);
    this.#map?.showChosenRoads((values['wegvakken'] as string[] | undefined) ?? []);
    this.#mapHint.textContent = roads ? this.#t('ingreep.draw.roads.hint') : facility ? this.#t('ingreep.draw.facility.hint') : '';
  }

  #closeIntervention(): void {
    this.#editing = null;
    this.#interventionForm.hidden = true;
    this.#map?.use(null);
    this.#map?.showDrawing(null);
    this.#map?.showChosenRoads([]);
    this.#mapHint.textContent = '';
  }

  #roadsTool() {
    return {
      kind: 'roads' as const,
      toggle: (id: string) => {
        const editing = this.#editing;
        if (!editing) {
          return;
        }
        const chosen = new Set((editing.values['wegvakken'] as string[] | undefined) ?? []);
        if (!chosen.delete(id)) {
          chosen.add(id);
        }
        this.#chooseRoads([...chosen]);
        void this.#roadList.render();
      },
    };
  }

  /** Chooses exactly these road links for the intervention in the form and highlights them on the map. */
  #chooseRoads(ids: readonly string[]): void {
    if (this.#editing) {
      this.#editing.values['wegvakken'] = [...ids];
      this.#map?.showChosenRoads([...ids]);
    }
  }

  #facilityTool() {
    return {
      kind: 'facility' as const,
      choose: (id: string, name: string) => {
        if (this.#editing) {
          this.#editing.values['voorziening'] = id;
          void this.#facilityList.render(name);
        }
      },
    };
  }

  #choicesOf(collection: ChoiceCollection): Promise<OgcFeature[]> {
    // Every feature, page by page (a page holds at most 10,000), so one is found wherever it lies.
    const load = async (): Promise<OgcFeature[]> => {
      const all: OgcFeature[] = [];
      try {
        for (let offset = 0; ; offset += pageSize) {
          const page = await this.app.api.get<{ features: OgcFeature[] }>(`/ogc/collections/${collection}/items?limit=${pageSize}&offset=${offset}`);
          all.push(...page.features);
          if (page.features.length < pageSize) {
            break;
          }
        }
      } catch {
        // A collection this role may not read: nothing to choose from there, the map and the ids still work.
      }
      return all.sort((a, b) => nameOf(a).localeCompare(nameOf(b), 'nl'));
    };
    let features = this.#choices.get(collection);
    if (!features) {
      features = load();
      this.#choices.set(collection, features);
    }
    return features;
  }

  #renderInterventionForm(): void {
    const editing = this.#editing;
    if (!editing) {
      return;
    }
    const t = this.#t.bind(this);
    const kindName = t(`kind.${editing.kind}`);
    const legend = editing.index < this.#interventions.length ? t('ingreep.form.edit', { number: editing.index + 1, kind: kindName }) : t('ingreep.form.new', { kind: kindName });
    const apply = h('button', { type: 'button', id: 'ingreep-toepassen', class: 'utrecht-button utrecht-button--primary-action' }, t('ingreep.apply'));
    const cancel = h('button', { type: 'button', id: 'ingreep-annuleren', class: 'utrecht-button utrecht-button--subtle' }, t('ingreep.cancel'));
    replaceChildren(
      this.#interventionForm,
      h('legend', { tabindex: -1, class: 'utrecht-form-fieldset__legend' }, legend),
      fieldsOf(editing.kind).map((field) => this.#parameter(field, editing.values)),
      h('div', { class: 'scenario-knoppen' }, apply, cancel),
    );
    this.#interventionForm.dataset['soort'] = editing.kind;
    apply.addEventListener('click', () => this.#applyIntervention());
    cancel.addEventListener('click', () => {
      this.#closeIntervention();
      this.#add().focus();
    });
    this.#showProblems();
  }

  /** The control(s) of one parameter, with its problem element `#fout-ingreep-<name>`. */
  #parameter(field: FieldSpec, values: Record<string, FieldValue>): HTMLElement {
    const t = this.#t.bind(this);
    const id = `ingreep-${field.name}`;
    const label = t(`field.${field.name}` as ScenarioKey);
    const error = h('p', { id: `fout-${id}`, class: 'veld-fout', 'data-fout': field.name });
    const input = (attributes: Record<string, string | number | boolean | undefined>) =>
      h('input', { id, name: field.name, class: 'utrecht-textbox utrecht-textbox--html-input', 'aria-describedby': error.id, ...attributes });
    switch (field.kind) {
      case 'whole':
      case 'number': {
        const value = values[field.name];
        return h('div', { class: 'utrecht-form-field', 'data-veld': field.name },
          h('label', { for: id, class: 'utrecht-form-label' }, label),
          input({ type: 'number', required: true, min: field.min, max: field.max, step: field.kind === 'whole' ? 1 : 'any', value: typeof value === 'number' ? value : undefined, inputmode: field.kind === 'whole' ? 'numeric' : 'decimal' }),
          error,
        );
      }
      case 'choice':
        return h('div', { class: 'utrecht-form-field', 'data-veld': field.name },
          h('label', { for: id, class: 'utrecht-form-label' }, label),
          h('select', { id, name: field.name, class: 'utrecht-select utrecht-select--html-select', required: true, 'aria-describedby': error.id },
            (field.options ?? []).map((option) => h('option', { value: option, selected: values[field.name] === option }, option)),
          ),
          error,
        );
      case 'facility-type': {
        const list = h('datalist', { id: `${id}-lijst` });
        void this.#choicesOf('voorzieningen').then((voorzieningen) =>
          replaceChildren(list, [...new Set(voorzieningen.map((f) => String(f.properties['type'] ?? '')).filter(Boolean))].sort().map((type) => h('option', { value: type }))),
        );
        return h('div', { class: 'utrecht-form-field', 'data-veld': field.name },
          h('label', { for: id, class: 'utrecht-form-label' }, label),
          input({ type: 'text', required: true, pattern: '[a-z\\-]{1,50}', list: list.id, autocomplete: 'off', value: typeof values[field.name] === 'string' ? (values[field.name] as string) : undefined }),
          list,
          error,
        );
      }
      case 'polygon':
      case 'point':
        return this.#geometryParameter(field, values, label, error);
      case 'roads':
        return this.#roadList.element(label, error);
      case 'facility':
        return this.#facilityList.element(label, error);
    }
  }

  #geometryStatus(value: FieldValue | undefined): string {
    return value && typeof value === 'object' && !Array.isArray(value)
      ? this.#valueText(value)
      : this.#t('ingreep.geometry.none');
  }

  #geometryParameter(field: FieldSpec, values: Record<string, FieldValue>, label: string, error: HTMLElement): HTMLElement {
    const t = this.#t.bind(this);
    const id = `ingreep-${field.name}`;
    const polygon = field.kind === 'polygon';
    const status = h('p', { id: `${id}-status`, class: 'geometrie-status', 'aria-live': 'polite' }, this.#geometryStatus(values[field.name]));
    const draw = h('button', { type: 'button', id: `${id}-tekenen`, class: 'utrecht-button utrecht-button--secondary-action', 'aria-describedby': `${status.id} ${error.id}` },
      t(polygon ? 'ingreep.draw.polygon' : 'ingreep.draw.point'));
    const set = (geometry: PolygonGeometry | PointGeometry) => {
      values[field.name] = geometry;
      status.textContent = this.#geometryStatus(geometry);
      this.#problems.delete(`ingrepen[${this.#editing?.index ?? -1}].${field.name}`);
      error.textContent = '';
      announce(t('ingreep.draw.done', { field: label }));
    };
    draw.addEventListener('click', () => {
      this.#map?.use(polygon ? { kind: 'polygon', done: set } : { kind: 'point', done: set });
      this.#mapHint.textContent = t(polygon ? 'ingreep.draw.polygon.hint' : 'ingreep.draw.point.hint');
    });
    const group = h('fieldset', { class: 'utrecht-form-fieldset geometrie-veld', 'data-veld': field.name, id: `${id}-veld` },
      h('legend', { class: 'utrecht-form-fieldset__legend' }, label),
      // The problem first: the control that gets focus for it is further down, and names it in aria-describedby.
      error,
      status,
      draw,
    );
    if (polygon) {
      const select = h('select', { id: `${id}-buurt`, class: 'utrecht-select utrecht-select--html-select', 'aria-describedby': error.id }, h('option', { value: '' }, t('ingreep.buurt.none')));
      const use = h('button', { type: 'button', id: `${id}-buurt-gebruiken`, class: 'utrecht-button utrecht-button--secondary-action' }, t('ingreep.buurt.use'));
      void this.#choicesOf('buurten').then((buurten) => {
        select.append(...buurten.map((b) => h('option', { value: idOf(b) }, `${nameOf(b)} (${String(b.properties['code'] ?? idOf(b))})`)));
      });
      use.addEventListener('click', () => {
        void this.#choicesOf('buurten').then((buurten) => {
          const buurt = buurten.find((b) => idOf(b) === select.value);
          const geometry = polygonOf(buurt?.geometry);
          if (geometry) {
            set(geometry);
            this.#map?.showAndFit(geometry);
          }
        });
      });
      group.append(h('div', { class: 'utrecht-form-field' }, h('label', { for: select.id, class: 'utrecht-form-label' }, t('ingreep.buurt')), select), use);
    } else {
      const current = values[field.name] as PointGeometry | undefined;
      const lon = h('input', { id: `${id}-lon`, 'aria-describedby': error.id, type: 'number', step: 'any', min: -180, max: 180, class: 'utrecht-textbox utrecht-textbox--html-input', value: current?.coordinates[0] });
      const lat = h('input', { id: `${id}-lat`, 'aria-describedby': error.id, type: 'number', step: 'any', min: -90, max: 90, class: 'utrecht-textbox utrecht-textbox--html-input', value: current?.coordinates[1] });
      const use = h('button', { type: 'button', id: `${id}-coordinaten-gebruiken`, class: 'utrecht-button utrecht-button--secondary-action' }, t('ingreep.point.use'));
      use.addEventListener('click', () => {
        const point = lon.value && lat.value ? pointOf(Number(lon.value), Number(lat.value)) : null;
        if (point) {
          set(point);
          this.#map?.showAndFit(point);
        } else {
          error.textContent = t('ingreep.required');
        }
      });
      group.append(
        h('div', { class: 'utrecht-form-field' }, h('label', { for: lon.id, class: 'utrecht-form-label' }, t('ingreep.lon')), lon),
        h('div', { class: 'utrecht-form-field' }, h('label', { for: lat.id, class: 'utrecht-form-label' }, t('ingreep.lat')), lat),
        use,
      );
    }
    return group;
  }

  /** Reads the form's controls into the intervention, checks it and puts it in the list, or shows what is missing. */
  #applyIntervention(): void {
    const editing = this.#editing;
    if (!editing) {
      return;
    }
    for (const field of fieldsOf(editing.kind)) {
      const control = this.#interventionForm.querySelector<HTMLInputElement | HTMLSelectElement>(`#ingreep-${field.name}`);
      if (!control) {
        continue;
      }
      if (field.kind === 'whole' || field.kind === 'number') {
        if (control.value === '') {
          delete editing.values[field.name];
        } else {
          editing.values[field.name] = Number(control.value);
        }
      } else if (field.kind === 'choice' || field.kind === 'facility-type' || field.kind === 'facility') {
        editing.values[field.name] = control.value.trim();
      }
    }
    const intervention: Intervention = { soort: editing.kind, values: { ...editing.values } };
    const problems = missingOrOutOfRange(intervention);
    const prefix = `ingrepen[${editing.index}]`;
    for (const key of [...this.#problems.keys()].filter((k) => k === prefix || k.startsWith(`${prefix}.`))) {
      this.#problems.delete(key);
    }
    for (const [name, problem] of problems) {
      const field = fieldsOf(editing.kind).find((f) => f.name === name)!;
      const message =
        problem === 'required' ? this.#t('ingreep.required') : this.#t(problem === 'whole' ? 'ingreep.whole' : 'ingreep.range', { min: field.min ?? '', max: field.max ?? '' });
      this.#problems.set(`${prefix}.${name}`, [message]);
    }
    if (problems.size > 0) {
      this.#showProblems();
      this.#firstInvalid()?.focus();
      return;
    }
    this.#interventions[editing.index] = intervention;
    this.#closeIntervention();
    this.#changed();
    announce(this.#t('ingreep.applied', { number: editing.index + 1 }));
    this.#add().focus();
  }

  /** Puts each problem next to its field (`aria-invalid` on the control) and clears the fields without one. */
  #showProblems(): void {
    const prefix = this.#editing ? `ingrepen[${this.#editing.index}]` : null;
    for (const error of this.element.querySelectorAll<HTMLElement>('[data-fout]')) {
      const inForm = this.#interventionForm.contains(error);
      if (inForm && !prefix) {
        continue;
      }
      const key = inForm ? `${prefix}.${error.dataset['fout']}` : error.dataset['fout']!;
      const messages = this.#problems.get(key) ?? [];
      error.textContent = messages.join(' ');
      const field = error.closest<HTMLElement>('[data-veld]');
      const control = field?.querySelector<HTMLElement>('input, select, textarea');
      if (control) {
        if (messages.length > 0) {
          control.setAttribute('aria-invalid', 'true');
        } else {
          control.removeAttribute('aria-invalid');
        }
      }
    }
  }

  #firstInvalid(): HTMLElement | null {
    return this.element.querySelector<HTMLElement>('[aria-invalid=true]');
  }

  /** POSTs a new scenario or PUTs the next version; the server's problems go next to their fields. */
  async save(): Promise<void> {
    if (!this.#canWrite) {
      return;
    }
    this.#problems = new Map();
    replaceChildren(this.#serverProblems);
    const local = new Map<string, string[]>();
    if (!this.#name.value.trim()) {
      local.set('naam', [this.#t('ingreep.required')]);
    }
    if (!this.#date.value) {
      local.set('peildatum', [this.#t('ingreep.required')]);
    }
    if (local.size > 0) {
      this.#problems = local;
      this.#showProblems();
      this.#status.textContent = this.#t('scenario.invalid');
      this.#firstInvalid()?.focus();
      return;
    }
    this.#status.textContent = this.#t('scenario.saving');
    this.#save.disabled = true;
    try {
      const saved = await saveScenario(this.app, this.#id, {
        naam: this.#name.value,
        beschrijving: this.#description.value,
        peildatum: this.#date.value,
        ingrepen: this.#interventions,
      });
      this.#id = saved.id;
      this.#saved = saved;
      this.#dirty = false;
      this.#showProblems();
      this.#renderTexts();
      this.#status.textContent = this.#t('scenario.saved', { version: saved.versie, hash: shortHash(saved.inhoudshash) });
      history.replaceState(null, '', `#/scenarios?scenario=${saved.id}`);
      this.onSaved();
    } catch (error) {
      this.#refused(error);
    } finally {
      this.#save.disabled = false;
    }
  }

  #refused(error: unknown): void {
    if (!(error instanceof ProblemError)) {
      this.#status.textContent = this.#t('scenario.failed', { detail: (error as Error).message });
      return;
    }
    const { fields, general } = problemsByField(error.detail);
    this.#problems = new Map(fields);
    this.#status.textContent = this.#t('scenario.refused');
    // Every problem the server named, in its words, also in one list: a problem of an intervention that is not open shows in its table row too.
    replaceChildren(this.#serverProblems, h('ul', { class: 'veld-fout' }, [...general, ...[...fields.values()].flat()].map((p) => h('li', {}, p))));
    const first = [...fields.keys()].map((key) => /^ingrepen\[(\d+)\]/.exec(key)).find((m) => m !== null);
    const intervention = first ? this.#interventions[Number(first[1])] : undefined;
    if (first && intervention) {
      this.#openIntervention(Number(first[1]), intervention.soort, { ...intervention.values });
    }
    this.#renderTable();
    this.#showProblems();
    (this.#firstInvalid() ?? this.#status).focus();
  }

  /** Runs the saved version and, once it has run, opens its results (`#/scenarios/resultaat?scenario=<id>:<versie>`). */
  async run(): Promise<void> {
    const saved = this.#saved;
    if (!saved || this.#dirty || this.#running) {
      return;
    }
    this.#running = true;
    this.#renderVersion();
    this.element.setAttribute('aria-busy', 'true');
    const started = performance.now();
    // The status (a live region) says once that the run started; the elapsed seconds tick beside it, not read out every second.
    this.#status.textContent = this.#t('scenario.running', { version: saved.versie });
    const progress = h('progress', { id: 'scenario-voortgang', 'aria-labelledby': 'scenario-status' });
    const elapsed = h('span', { class: 'scenario-verstreken' });
    this.#status.after(progress, elapsed);
    const timer = setInterval(() => {
      elapsed.textContent = this.#t('scenario.elapsed', { seconds: Math.round((performance.now() - started) / 1000) });
    }, 1000);
    try {
      await runScenario(this.app, saved.id, saved.versie);
      this.#status.textContent = this.#t('scenario.ran', { version: saved.versie });
      location.hash = resultsRoute(saved.id, saved.versie);
    } catch (error) {
      this.#status.textContent = this.#t('scenario.run.failed', { detail: (error as Error).message });
    } finally {
      clearInterval(timer);
      progress.remove();
      elapsed.remove();
      this.#running = false;
      this.element.removeAttribute('aria-busy');
      this.#renderVersion();
    }
  }
}
