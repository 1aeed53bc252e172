import type { Map as MapLibreMap, Marker } from 'maplibre-gl';
import type { App } from '../app';
import { tr } from '../dashboards/messages';
import { h } from '../dom';
import type { LiveState } from './events';
import { sensorLevels, type SensorItem } from './levels';

/**
 * The live sensors on the map: colours each point of the GeoJSON source `sensoren` by its latest value through
 * feature state (`niveau`, `alarm`; the layer's paint in `layers.ts` reads them), so a new value costs no reload of
 * the source, and puts a labelled mark (a button: symbol and text, not colour alone) at every sensor with an active
 * alert; a cleared alert removes its mark.
 */
export class SensorLayer {
  #items: SensorItem[] = [];
  readonly #marks = new Map<string, { marker: Marker; name: string }>();
  #boundMap: MapLibreMap | null = null;
  /**
   * MapLibre's `Marker`, imported once a map exists (MapLibre is loaded by then): the page's entry does not import
   * MapLibre, so the settings and the catalog are asked for while it downloads (issue 5 item 10).
   */
  #markerClass: typeof Marker | null = null;

  constructor(
    private readonly app: App,
    private readonly state: LiveState,
  ) {
    app.on('map', () => this.#bind());
    app.on('language', () => this.#relabel());
    this.#bind();
  }

  /**
   * Reads the sensors the caller may see (again after a change of role) from a load that started at or after
   * `notBefore` (`performance.now()`; the map may have started it: `App.sensors`) and shows them.
   */
  async load(notBefore: number): Promise<void> {
    const items = await this.app.sensors.load(notBefore);
    this.#items = items.filter((f) => f.geometry?.type === 'Point');
    this.update();
  }

  /** Shows the live state: colours and alarm marks. */
  update(): void {
    const map = this.app.map;
    if (!map) {
      return;
    }
    const levels = sensorLevels(this.#items, this.state);
    if (map.getSource('sensoren')) {
      for (const [id, level] of levels) {
        map.setFeatureState({ source: 'sensoren', id }, { niveau: level.niveau, alarm: level.alarm });
      }
    }
    for (const [id, mark] of [...this.#marks]) {
      if (!levels.get(id)?.alarm) {
        mark.marker.remove();
        this.#marks.delete(id);
      }
    }
    for (const item of this.#items) {
      if (this.#markerClass && levels.get(item.id)?.alarm && !this.#marks.has(item.id)) {
        this.#mark(map, this.#markerClass, item);
      }
    }
  }

  #bind(): void {
    const map = this.app.map;
    if (!map || map === this.#boundMap) {
      return;
    }
    this.#boundMap = map;
    if (!this.#markerClass) {
      void import('maplibre-gl').then(({ Marker: markerClass }) => {
        this.#markerClass = markerClass;
        this.update();
      });
    }
    // Marks belong to the map they were added to: a new map (the map view opened again) gets its own.
    for (const { marker } of this.#marks.values()) {
      marker.remove();
    }
    this.#marks.clear();
    // A new style (after sign-in) makes a new source without feature state: give it the state again.
    map.on('style.load', () => this.update());
    map.on('sourcedata', (event) => {
      if (event.sourceId === 'sensoren' && event.sourceDataType === 'metadata') {
        this.update();
      }
    });
    this.update();
  }

  #mark(map: MapLibreMap, markerClass: typeof Marker, item: SensorItem): void {
    const name = item.properties.naam ?? item.id;
    const element = h('button', { type: 'button', class: 'alarm-markering', 'data-sensor': item.id });
    element.addEventListener('click', (event) => {
      // The map would otherwise take the click as one on whatever lies under the mark.
      event.stopPropagation();
      void window.tweeling?.selectFeature('sensoren', item.id);
    });
    const [lon, lat] = item.geometry!.coordinates as [number, number];
    const marker = new markerClass({ element, anchor: 'bottom', offset: [0, -10] }).setLngLat([lon, lat]).addTo(map);
    this.#marks.set(item.id, { marker, name });
    this.#label(element, name);
  }

  #relabel(): void {
    for (const { marker, name } of this.#marks.values()) {
      this.#label(marker.getElement(), name);
    }
  }

  #label(element: HTMLElement, name: string): void {
    // The visible text is the button's name (WCAG 2.5.3); the symbol is decoration next to it.
    element.replaceChildren(h('span', { class: 'alarm-markering-symbool', 'aria-hidden': 'true' }, '⚠'), ` ${tr(this.app.language, 'live.mark', { name })}`);
  }
}
