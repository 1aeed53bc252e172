import type { Map as MapLibreMap } from 'maplibre-gl';
import { ApiClient } from './api';
import { format, type Language, type MessageKey } from './i18n';
import { SensorItems } from './live/sensoritems';

/** Events a module can follow: the language, the signed-in role, the reference date, the selected object. */
export type AppEvent = 'language' | 'role' | 'peildatum' | 'selection' | 'map';

/** The selected object: a feature of a collection. */
export interface Selection {
  readonly collection: string;
  readonly id: string;
}

/**
 * What every part of the UI shares: the API client (with the signed-in credentials), the language and its
 * messages, the role the platform reports, the reference date, the map once loaded, the sensors (one load for the
 * map and the live panel), and events on each.
 */
export class App {
  readonly api: ApiClient;
  readonly sensors: SensorItems;
  #language: Language = 'nl';
  #role = 'publiek';
  #peildatum: string | undefined;
  #selection: Selection | null = null;
  #map: MapLibreMap | null = null;
  readonly #listeners = new Map<AppEvent, Set<() => void>>();

  constructor(api = new ApiClient()) {
    this.api = api;
    this.sensors = new SensorItems(api);
  }

  get language(): Language {
    return this.#language;
  }

  /** The role's API name as `/api/v1/ik` reports it (`publiek` when not signed in). */
  get role(): string {
    return this.#role;
  }

  /** The reference date (`YYYY-MM-DD`) the twin is shown as of; `undefined` = today. */
  get peildatum(): string | undefined {
    return this.#peildatum;
  }

  get selection(): Selection | null {
    return this.#selection;
  }

  get map(): MapLibreMap | null {
    return this.#map;
  }

  /** The text of `key` in the current language. */
  t(key: MessageKey, params?: Record<string, string | number>): string {
    return format(this.#language, key, params);
  }

  setLanguage(language: Language): void {
    if (language !== this.#language) {
      this.#language = language;
      this.emit('language');
    }
  }

  setRole(role: string): void {
    if (role !== this.#role) {
      this.#role = role;
      this.emit('role');
    }
  }

  setPeildatum(peildatum: string | undefined): void {
    if (peildatum !== this.#peildatum) {
      this.#peildatum = peildatum;
      this.emit('peildatum');
    }
  }

  setSelection(selection: Selection | null): void {
    if (selection?.collection !== this.#selection?.collection || selection?.id !== this.#selection?.id) {
      this.#selection = selection;
      this.emit('selection');
    }
  }

  setMap(map: MapLibreMap): void {
    this.#map = map;
    this.emit('map');
  }

  /** Calls `listener` after every `event`; returns the function that stops it. */
  on(event: AppEvent, listener: () => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener);
    this.#listeners.set(event, set);
    return () => set.delete(listener);
  }

  emit(event: AppEvent): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      listener();
    }
  }
}
