import MapboxDraw from '@mapbox/mapbox-gl-draw';
import '@mapbox/mapbox-gl-draw/dist/mapbox-gl-draw.css';
import type { Feature, FeatureCollection } from 'geojson';
import type { GeoJSONSource, MapEventType, MapMouseEvent } from 'maplibre-gl';
import type { App } from '../app';
import type { Catalog } from '../catalog';
import { bbox } from '../geo';
import { styleLayerIds } from '../layers';
import { TwinMap, type WebConfig } from '../twinmap';
import { fieldsOf, pointOf, polygonOf, type Intervention, type PointGeometry, type PolygonGeometry } from './model';

// mapbox-gl-draw names its CSS classes after Mapbox GL; under MapLibre the map's own classes are maplibregl-*
// (the documented way to use it with MapLibre, see docs/adr/0002-drawing-interventions.md).
MapboxDraw.constants.classes['CANVAS'] = 'maplibregl-canvas';
MapboxDraw.constants.classes['CONTROL_BASE'] = 'maplibregl-ctrl';
MapboxDraw.constants.classes['CONTROL_PREFIX'] = 'maplibregl-ctrl-';
MapboxDraw.constants.classes['CONTROL_GROUP'] = 'maplibregl-ctrl-group';
MapboxDraw.constants.classes['ATTRIBUTION'] = 'maplibregl-ctrl-attrib';

/** The drawn geometry's colour: dark orange, 4.9:1 against the white background and distinct from the map's blues and greens. */
const drawColour = '#a63603';
/** The chosen roads' and the other interventions' colour (magenta), distinct from the drawing's. */
const chosenColour = '#ae017e';

/**
 * The drawing styles, in expression syntax (the library's default theme uses a data-driven `line-dasharray` that
 * MapLibre does not take); the library adds each twice, for its `.cold` and `.hot` sources.
 */
const drawStyles = [
  { id: 'teken-vlak', type: 'fill', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': drawColour, 'fill-opacity': 0.2 } },
  {
    id: 'teken-lijn',
    type: 'line',
    filter: ['any', ['==', ['geometry-type'], 'LineString'], ['==', ['geometry-type'], 'Polygon']],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': drawColour, 'line-width': 3 },
  },
  {
    id: 'teken-punt',
    type: 'circle',
    filter: ['all', ['==', ['geometry-type'], 'Point'], ['==', ['get', 'meta'], 'feature']],
    paint: { 'circle-radius': 7, 'circle-color': drawColour, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  },
  {
    id: 'teken-hoekpunt',
    type: 'circle',
    filter: ['all', ['==', ['geometry-type'], 'Point'], ['==', ['get', 'meta'], 'vertex']],
    paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': drawColour, 'circle-stroke-width': 2 },
  },
  {
    id: 'teken-middenpunt',
    type: 'circle',
    filter: ['all', ['==', ['geometry-type'], 'Point'], ['==', ['get', 'meta'], 'midpoint']],
    paint: { 'circle-radius': 3, 'circle-color': drawColour },
  },
];

/** What a click on the map does now: draw an area or place a point for a field, or choose roads or a facility. */
export type Tool =
  | { readonly kind: 'polygon'; readonly done: (geometry: PolygonGeometry) => void }
  | { readonly kind: 'point'; readonly done: (geometry: PointGeometry) => void }
  | { readonly kind: 'roads'; readonly toggle: (id: string, name: string) => void }
  | { readonly kind: 'facility'; readonly choose: (id: string, name: string, type: string) => void };

/** Pixels around a click in which a road or facility counts as hit: a 2 px line is hard to hit exactly. */
const clickTolerance = 6;

/**
 * The editor's map: the app's twin map (the same offline vector tiles, buildings and roads, `TwinMap`) seen from
 * above, with mapbox-gl-draw for areas and points, the chosen roads highlighted, and the scenario's other
 * interventions drawn faintly.
 */
export class ScenarioMap {
  readonly twin: TwinMap;
  readonly #draw: MapboxDraw;
  #tool: Tool | null = null;

  constructor(app: App, container: HTMLElement, catalog: Catalog, config: WebConfig) {
    this.twin = new TwinMap(app, container, catalog, config, ['gemeenten', 'buurten', 'wegvakken', 'panden', 'voorzieningen']);
    const map = this.twin.map;
    // From straight above: a drawn vertex lands where it is clicked, not on a roof in perspective.
    map.jumpTo({ pitch: 0, bearing: 0 });
    this.#draw = new MapboxDraw({ displayControlsDefault: false, controls: {}, keybindings: true, boxSelect: false, styles: drawStyles });
    map.addControl(this.#draw);
    // mapbox-gl-draw fires its events on the map; MapLibre's types know only its own event names.
    for (const name of ['draw.create', 'draw.update']) {
      map.on(name as keyof MapEventType, (event) => this.#drawn((event as unknown as { features: Feature[] }).features[0]));
    }
    map.on('click', (event) => this.#click(event));
    map.once('load', () => {
      map.addSource('scenario-ingrepen', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({ id: 'scenario-ingrepen-vlak', type: 'line', source: 'scenario-ingrepen', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': chosenColour, 'line-width': 2, 'line-opacity': 0.8 } });
      map.addLayer({ id: 'scenario-ingrepen-punt', type: 'circle', source: 'scenario-ingrepen', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': chosenColour } });
      map.addLayer({
        id: 'scenario-wegvakken-gekozen',
        type: 'line',
        source: 'wegvakken',
        'source-layer': 'wegvakken',
        filter: ['in', ['to-string', ['get', 'id']], ['literal', []]],
        paint: { 'line-color': chosenColour, 'line-width': 6 },
      });
    });
  }

  get map() {
    return this.twin.map;
  }

  /** What a click does from now on; `null` = nothing (the map only pans and zooms). */
  use(tool: Tool | null): void {
    this.#tool = tool;
    if (tool?.kind === 'polygon') {
      this.#draw.deleteAll();
      this.#draw.changeMode('draw_polygon');
    } else if (tool?.kind === 'point') {
      this.#draw.deleteAll();
      this.#draw.changeMode('draw_point');
    } else if (this.#draw.getMode() !== 'simple_select') {
      this.#draw.changeMode('simple_select');
    }
    this.map.getCanvas().style.cursor = tool?.kind === 'roads' || tool?.kind === 'facility' ? 'pointer' : '';
  }

  get tool(): Tool | null {
    return this.#tool;
  }

  /** Shows `geometry` as the drawing being edited (its vertices can be dragged), or clears it. */
  showDrawing(geometry: PolygonGeometry | PointGeometry | null): void {
    this.#draw.deleteAll();
    if (geometry) {
      this.#draw.add({ type: 'Feature', properties: {}, geometry });
    }
  }

  /**
   * Shows `geometry` as the drawing being edited and moves the map to it: a buurt chosen from the list or typed
   * coordinates may lie outside the view.
   */
  showAndFit(geometry: PolygonGeometry | PointGeometry): void {
    this.showDrawing(geometry);
    const box = bbox(geometry.coordinates);
    if (box) {
      const animate = !matchMedia('(prefers-reduced-motion: reduce)').matches;
      this.map.fitBounds(box, { padding: 60, maxZoom: 16, animate });
    }
  }

  /** The roads chosen for the intervention being edited, highlighted. */
  showChosenRoads(ids: readonly string[]): void {
    if (this.map.getLayer('scenario-wegvakken-gekozen')) {
      this.map.setFilter('scenario-wegvakken-gekozen', ['in', ['to-string', ['get', 'id']], ['literal', [...ids]]]);
    }
  }

  /** Every area and point of the scenario's interventions, drawn faintly under the drawing. */
  showInterventions(interventions: readonly Intervention[]): void {
    const features: Feature[] = interventions.flatMap((intervention) =>
      fieldsOf(intervention.soort)
        .filter((field) => field.kind === 'polygon' || field.kind === 'point')
        .flatMap((field) => {
          const value = intervention.values[field.name];
          return value && typeof value === 'object' && !Array.isArray(value) ? [{ type: 'Feature', properties: {}, geometry: value } as Feature] : [];
        }),
    );
    const data: FeatureCollection = { type: 'FeatureCollection', features };
    (this.map.getSource('scenario-ingrepen') as GeoJSONSource | undefined)?.setData(data);
  }

  remove(): void {
    this.map.remove();
  }

  #drawn(feature: Feature | undefined): void {
    const tool = this.#tool;
    if (!feature || !tool) {
      return;
    }
    // One geometry per field: a new drawing replaces the previous one.
    const others = this.#draw.getAll().features.map((f) => String(f.id)).filter((id) => id !== String(feature.id));
    if (others.length > 0) {
      this.#draw.delete(others);
    }
    if (tool.kind === 'polygon') {
      const polygon = polygonOf(feature.geometry);
      if (polygon) {
        tool.done(polygon);
      }
    } else if (tool.kind === 'point' && feature.geometry.type === 'Point') {
      const point = pointOf(feature.geometry.coordinates[0]!, feature.geometry.coordinates[1]!);
      if (point) {
        tool.done(point);
      }
    }
  }

  #click(event: MapMouseEvent): void {
    const tool = this.#tool;
    if (tool?.kind !== 'roads' && tool?.kind !== 'facility') {
      return;
    }
    const layerIds = styleLayerIds(tool.kind === 'roads' ? 'wegvakken' : 'voorzieningen').filter((id) => this.map.getLayer(id));
    const { x, y } = event.point;
    const hit = this.map
      .queryRenderedFeatures([[x - clickTolerance, y - clickTolerance], [x + clickTolerance, y + clickTolerance]], { layers: layerIds })
      .find((f) => f.properties?.['id'] !== undefined);
    if (!hit) {
      return;
    }
    const id = String(hit.properties['id']);
    const name = String(hit.properties['naam'] ?? id);
    if (tool.kind === 'roads') {
      tool.toggle(id, name);
    } else {
      tool.choose(id, name, String(hit.properties['type'] ?? ''));
    }
  }
}
