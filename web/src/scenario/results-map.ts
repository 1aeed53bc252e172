import { Map as MapLibreMap, NavigationControl, type ExpressionSpecification, type GeoJSONSource, type LngLatBoundsLike } from 'maplibre-gl';
import type { FeatureCollection, Geometry } from 'geojson';
import { bbox } from '../geo';
import { buildStyle, mapColours, showMapBackground } from '../layers';
import { dutchControls, type WebConfig } from '../twinmap';
import { skipTransparentSky } from '../sky';
import { rdToCrs84 } from './rd';
import type { MapView } from './results-model';

/** The GeoJSON source and its layers of the buurten with their results. */
const sourceId = 'resultaat';
const fillLayer = 'resultaat-vlak';
const lineLayer = 'resultaat-lijn';
/** The canvas source and raster layer of an indicator's grid, over the buurt colours. */
const gridSource = 'resultaat-raster';
const gridLayer = 'resultaat-raster';

/** Roads and the municipal boundary for orientation: light to load, drawn over the colours. */
const contextLayers = new Set(['wegvakken', 'gemeenten']);

/** An indicator's grid as `…/resultaten/rasters/{indicator}` gives it: RD New, row-major from the south-west cell. */
export interface ResultGrid {
  readonly indicator: string;
  readonly origineX: number;
  readonly origineY: number;
  readonly celgrootte: number;
  readonly kolommen: number;
  readonly rijen: number;
  readonly delta: readonly (number | null)[];
}

/** The buurten of a run as `…/resultaten?formaat=geojson` gives them (CRS84; properties `gebied`, `naam`, `{id}.delta`, …). */
export type ResultsGeoJson = FeatureCollection<Geometry, Record<string, unknown>>;

/**
 * One flat map of a run's buurten, coloured by a colour per buurt code (a `match` on `gebied`, so the colours are
 * the ones the legend and the table compute and a new indicator only changes one paint property). Roads and the
 * municipal boundary of the scenario's reference date give orientation. Two maps compared keep one camera.
 */
export class ResultsMap {
  readonly map: MapLibreMap;
  #selected: string | null = null;
  /** The buurten's fill colour (an expression), kept until the style has loaded and the layer exists. */
  #fill: ExpressionSpecification | string = '#f7f7f7';

  /** `headers` are the signed-in credentials: the context tiles go through the same access seam as the twin map's. */
  constructor(container: HTMLElement, config: WebConfig, peildatum: string, geojson: ResultsGeoJson, view: MapView | undefined, locale: 'nl' | 'en', headers: () => Record<string, string>) {
    const box = bbox(geojson.features.map((f) => (f.geometry as { coordinates?: unknown }).coordinates));
    const style = buildStyle({
      origin: location.origin,
      ...(box ? { bounds: box } : {}),
      basemap: config.basemap,
      basemapAttribution: config.basemapAttribution ?? null,
      visible: contextLayers,
      available: contextLayers,
      peildatum,
    });
    const firstContext = style.layers.find((l) => l.id !== 'basiskaart')?.id;
    const position = view
      ? { center: [view.lon, view.lat] as [number, number], zoom: view.zoom }
      : box
        ? { bounds: box as LngLatBoundsLike, fitBoundsOptions: { padding: 20 } }
        : { center: [4.69, 51.81] as [number, number], zoom: 12 };
    showMapBackground(container);
    this.map = new MapLibreMap({
      container,
      style,
      ...position,
      pitch: 0,
      maxPitch: 0,
      dragRotate: false,
      attributionControl: { compact: true },
      transformRequest: (url) => (url.startsWith(location.origin) ? { url, headers: headers() } : { url }),
      locale: locale === 'nl' ? dutchControls : {},
    });
    skipTransparentSky(this.map);
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.once('style.load', () => {
      this.map.addSource(sourceId, { type: 'geojson', data: geojson, promoteId: 'gebied' });
      this.map.addLayer({ id: fillLayer, type: 'fill', source: sourceId, paint: { 'fill-color': this.#fill, 'fill-opacity': 0.85 } }, firstContext);
      this.map.addLayer(
        {
          id: lineLayer,
          type: 'line',
          source: sourceId,
          paint: {
            'line-color': ['case', ['boolean', ['feature-state', 'geselecteerd'], false], mapColours.selected, mapColours.buurtLine],
            'line-width': ['case', ['boolean', ['feature-state', 'geselecteerd'], false], 4, 0.8],
          },
        },
        firstContext,
      );
      this.select(this.#selected);
    });
  }

  /** Resolves once the style, the buurten and the first tiles are drawn. */
  async ready(): Promise<void> {
    if (!this.map.isStyleLoaded() || !this.map.getLayer(fillLayer)) {
      await new Promise<void>((resolve) => this.map.once('load', () => resolve()));
    }
    await new Promise<void>((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }

  /** Colours every buurt by `colours` (buurt code → colour); others get `fallback` (no value). */
  colour(colours: ReadonlyMap<string, string>, fallback: string): void {
    const expression: unknown[] = ['match', ['get', 'gebied']];
    for (const [code, colour] of colours) {
      expression.push(code, colour);
    }
    expression.push(fallback);
    // A match needs at least one label; with no buurt coloured the fallback alone is the colour.
    this.#fill = colours.size > 0 ? (expression as ExpressionSpecification) : fallback;
    if (this.map.getLayer(fillLayer)) {
      this.map.setPaintProperty(fillLayer, 'fill-color', this.#fill);
    }
  }

  /**
   * Draws `grid` over the buurten, one canvas pixel per cell coloured by `colourOf(delta)` (`null` = transparent:
   * cells that do not change or have no value let the buurt colours show), or removes the grid for `null`. The
   * canvas is placed by its corners in CRS84 (RD New's grid is straight in RD, within a pixel in Web Mercator at
   * city scale).
   */
  showGrid(grid: ResultGrid | null, colourOf: (delta: number | null) => string | null): void {
    if (this.map.getLayer(gridLayer)) {
      this.map.removeLayer(gridLayer);
    }
    if (this.map.getSource(gridSource)) {
      this.map.removeSource(gridSource);
    }
    if (!grid || !this.map.getLayer(fillLayer)) {
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = grid.kolommen;
    canvas.height = grid.rijen;
    const context = canvas.getContext('2d');
    if (!context) {
      return;
    }
    const image = context.createImageData(grid.kolommen, grid.rijen);
    for (let row = 0; row < grid.rijen; row++) {
      for (let column = 0; column < grid.kolommen; column++) {
        const colour = colourOf(grid.delta[row * grid.kolommen + column] ?? null);
        if (!colour) {
          continue;
        }
        // The grid's first row is the southernmost; the canvas's first row is its top.
        const at = ((grid.rijen - 1 - row) * grid.kolommen + column) * 4;
        image.data[at] = parseInt(colour.slice(1, 3), 16);
        image.data[at + 1] = parseInt(colour.slice(3, 5), 16);
        image.data[at + 2] = parseInt(colour.slice(5, 7), 16);
        image.data[at + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
    const west = grid.origineX;
    const south = grid.origineY;
    const east = west + grid.kolommen * grid.celgrootte;
    const north = south + grid.rijen * grid.celgrootte;
    this.map.addSource(gridSource, {
      type: 'canvas',
      canvas,
      animate: false,
      coordinates: [rdToCrs84(west, north), rdToCrs84(east, north), rdToCrs84(east, south), rdToCrs84(west, south)],
    });
    this.map.addLayer({ id: gridLayer, type: 'raster', source: gridSource, paint: { 'raster-opacity': 0.85, 'raster-resampling': 'nearest', 'raster-fade-duration': 0 } }, lineLayer);
  }

  /** Outlines the buurt `code` (feature state), or none. */
  select(code: string | null): void {
    const loaded = this.map.getSource(sourceId) !== undefined;
    if (this.#selected && loaded) {
      this.map.setFeatureState({ source: sourceId, id: this.#selected }, { geselecteerd: false });
    }
    this.#selected = code;
    if (code && loaded) {
      this.map.setFeatureState({ source: sourceId, id: code }, { geselecteerd: true });
    }
  }

  /** Calls `listener` with the buurt code under a click. */
  onBuurtClick(listener: (code: string) => void): void {
    this.map.on('click', fillLayer, (event) => {
      const code = event.features?.[0]?.properties?.['gebied'];
      if (typeof code === 'string') {
        listener(code);
      }
    });
    this.map.on('mouseenter', fillLayer, () => (this.map.getCanvas().style.cursor = 'pointer'));
    this.map.on('mouseleave', fillLayer, () => (this.map.getCanvas().style.cursor = ''));
  }

  /** Replaces the buurten (another run), keeping the camera. */
  setData(geojson: ResultsGeoJson): void {
    (this.map.getSource(sourceId) as GeoJSONSource | undefined)?.setData(geojson);
  }

  get view(): MapView {
    const centre = this.map.getCenter();
    return { zoom: this.map.getZoom(), lat: centre.lat, lon: centre.lng };
  }

  jumpTo(view: MapView): void {
    this.map.jumpTo({ center: [view.lon, view.lat], zoom: view.zoom });
  }
}

/**
 * Keeps the cameras of `maps` together: a move of one (by the user) is applied to the others without animation.
 * `onMoved` is called once a move ends, with the view (for the share link).
 */
export function synchroniseViews(maps: readonly ResultsMap[], onMoved: (view: MapView) => void): void {
  let leader: ResultsMap | null = null;
  for (const map of maps) {
    map.map.on('move', () => {
      if (leader !== null && leader !== map) {
        return;
      }
      leader = map;
      for (const other of maps) {
        if (other !== map) {
          other.jumpTo(map.view);
        }
      }
      leader = null;
    });
    map.map.on('moveend', () => {
      if (leader === null) {
        onMoved(map.view);
      }
    });
  }
}
