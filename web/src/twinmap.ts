import { Map as MapLibreMap, NavigationControl, prewarm, setWorkerUrl, type GeoJSONSource, type MapGeoJSONFeature, type MapSourceDataEvent, type VectorTileSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Geometry } from 'geojson';
import type { App, Selection } from './app';
import type { Catalog } from './catalog';
import { attributePaint, indicatorPaint, parseChoice, valuesByBuurt, type Area, type ColourChoice, type ColourPaint } from './colouring';
import { buildStyle, layerDefinition, layers, showMapBackground, styleLayerIds, tileUrl } from './layers';
import { bbox } from './geo';
import { pandFeatureId, tileFeatureId } from './pandids';
import { skipTransparentSky } from './sky';
import type { SensorItem } from './live/levels';
import type { OgcFeature } from './search';

// The worker is a file of its own that Vite copies with a hashed name: the CSP allows workers from this origin
// (and blob:), never inline code.
setWorkerUrl(workerUrl);
// One tile worker (MapLibre's default), not two: each worker compiles MapLibre's 0.5 MB worker module and warms its own
// JIT for the tile decoding, so two took 0.82–1.00 s of worker CPU per first view against one's 0.52–0.87 s (medians
// 0.91 and 0.62 s, +47 %; web/e2e/trace-cpu.mjs), on a two-core machine whose main thread and software WebGL need the
// other core too; no gain in wall time was shown (docs/benchmarks.md "Web first view, map start-up (web-firstview4)").
// Start the worker (a 0.5 MB module to load and compile) now, while the page asks for its settings and the catalog,
// instead of when the map is made: the first tile request waits for it.
prewarm();

/** The deployment's settings from `/config.json`. */
export interface WebConfig {
  readonly basemap: string | null;
  /** The credit the basemap's licence asks for, shown in the map's attribution. */
  readonly basemapAttribution?: string | null;
}

/** The zoom below which the city's extent is not a useful first view: buildings are drawn from zoom 13 on. */
const firstViewMinZoom = 13.5;

/** How long the map waits for the first view's last tile before it draws what it has (ms): a stalled tile must not keep it blank. */
const firstViewWholeDeadlineMs = 5000;

/** The layers a colouring can colour; each holds its colours as feature state `kleur`. */
const colourableLayers = ['panden', 'buurten'] as const;

/**
 * The 3D map of the twin: the platform's vector tiles styled by `layers.ts`, layer visibility, recolouring by
 * feature state over the loaded features, selection by feature state, and the `data-ready` signal.
 */
export class TwinMap {
  readonly map: MapLibreMap;
  #catalog: Catalog;
  #visible: Set<string>;
  #colour: ColourChoice | null = null;
  #paint: ColourPaint | null = null;
  #selected: { source: string; sourceLayer?: string; id: string | number } | null = null;
  readonly #areas = new Map<string, Promise<Area[]>>();
  readonly #failedSources = new Set<string>();
  /** Per colourable layer, the feature-state ids of the features that have the current colouring's colour. */
  readonly #coloured = new Map<string, Set<string | number>>();
  #colourPending = false;
  /** The sensors the `sensoren` source holds now (`null` after a new style): a load already shown is not set again. */
  #shownSensors: readonly SensorItem[] | null = null;
  /** Shown layers not drawn yet, until {@link showWithheld}: no tile of theirs is asked for before. */
  readonly #withheld: Set<string>;

  constructor(
    private readonly app: App,
    container: HTMLElement,
    catalog: Catalog,
    private readonly config: WebConfig,
    visible?: readonly string[],
    private readonly onSourceError: (collection: string) => void = () => {},
    withheld: ReadonlySet<string> = new Set(),
  ) {
    this.#catalog = catalog;
    this.#visible = new Set(visible ?? layers.filter((l) => l.visible).map((l) => l.id));
    this.#withheld = new Set(withheld);
    const extent = catalog.cityExtent();
    showMapBackground(container);
    this.map = new MapLibreMap({
      container,
      style: this.#style(),
      ...(extent ? { bounds: extent, fitBoundsOptions: { padding: 20 } } : { center: [4.69, 51.81], zoom: 13 }),
      pitch: 50,
      bearing: -15,
      maxPitch: 70,
      attributionControl: { compact: true },
      // Every request to the platform carries the signed-in credentials, so tiles follow the access seam as the API does.
      transformRequest: (url) => (url.startsWith(location.origin) ? { url, headers: this.app.api.headers() } : { url }),
      locale: app.language === 'nl' ? dutchControls : {},
    });
    skipTransparentSky(this.map);
    this.#drawFirstViewWhole();
    if (this.map.getZoom() < firstViewMinZoom) {
      this.map.jumpTo({ zoom: firstViewMinZoom });
    }
    this.map.once('load', () => performance.mark('tweeling:stijl'));
    const firstTile = (event: MapSourceDataEvent) => {
      if (event.tile) {
        performance.mark('tweeling:eerste-tegel');
        this.map.off('sourcedata', firstTile);
      }
    };
    this.map.on('sourcedata', firstTile);
    // Every tile of the first view parsed (by MapLibre's worker), before it is drawn.
    const allTiles = (event: MapSourceDataEvent) => {
      if (event.tile && this.map.areTilesLoaded()) {
        performance.mark('tweeling:tegels-geladen');
        this.map.off('sourcedata', allTiles);
      }
    };
    this.map.on('sourcedata', allTiles);
    // Features of tiles that load after a recolour (the map moved) get their colours too.
    this.map.on('sourcedata', (event) => {
      if (event.tile && this.#paint && event.sourceId === this.#paint.layer) {
        this.#colourLoadedSoon();
      }
    });
    const stopSensors = app.sensors.subscribe((items) => this.#showSensors(items));
    this.map.once('remove', stopSensors);
    // The sensors go into their source as soon as the style has made it, while the tiles still load, so the frame that
    // completes the first view draws them too (and `ready` need not wait for another full frame; issue 5). Only a load
    // already started is shown here: the live panel starts the page's one load once its event stream is open.
    this.map.on('style.load', () => {
      this.#shownSensors = null;
      void app.sensors.started()?.then((items) => this.#showSensors(items), () => undefined);
    });
    this.map.addControl(new NavigationControl({ visualizePitch: true }), 'top-right');
    this.map.on('error', (event) => {
      const source = (event as { sourceId?: string }).sourceId;
      if (source && !this.#failedSources.has(source)) {
        this.#failedSources.add(source);
        this.onSourceError(source);
      }
    });
  }

  /**
   * Resolves once the style, the first tiles and the sensors are drawn (then `#kaart` gets `data-ready="true"`).
   * MapLibre fires `load` at the end of the first frame that drew every tile of the view; only sensors that arrived
   * after it need one frame more (with 21,500 extruded buildings drawn in software, a frame costs hundreds of ms).
   */
  async ready(): Promise<void> {
    if (!this.map.loaded()) {
      await new Promise<void>((resolve) => this.map.once('load', () => resolve()));
    }
    if (await this.loadSensors()) {
      await this.idle();
    }
  }

  /** Resolves when the map has drawn everything it is loading (MapLibre's `idle`). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }

  /**
   * Until every tile of the first view is in, the map draws nothing; then it draws the view whole, in one frame.
   * MapLibre otherwise draws a frame for every batch of tiles that arrives (51–171 animation frames in a cold first view
   * of the demo city), and with software WebGL (SwiftShader; the machines the platform is measured on have no GPU) each
   * frame of a partly loaded map costs the GPU process raster and compositing on the CPU that parses the tiles too.
   * Holding them back took the GPU process from 2.2–3.7 s to 1.7–2.4 s of CPU per first view, interleaved on a loaded
   * machine; the wall clock did not clearly follow (docs/benchmarks.md "web-firstview10"). This reaches into MapLibre's
   * painter (`render`, the tile managers' `prepare`), which is not public API: check it when MapLibre is upgraded.
   * The user sees the same first view, without the half-loaded stages before it. Only the first view: once drawn, tiles
   * that arrive later (a move, a new date) are drawn as they come, as MapLibre does; and a tile that has not arrived
   * within `firstViewWholeDeadlineMs` no longer holds back the tiles that have.
   */
  #drawFirstViewWhole(): void {
    const painter = this.map.painter;
    const draw = painter.render.bind(painter);
    painter.render = (style, transform, data) => {
      // `loaded()`, not `areTilesLoaded()`: before the style's sources have asked for their first tiles, no tile is
      // loading, and the empty map would count as complete.
      if (!this.map.loaded()) {
        // The tiles that are in go to WebGL now (buffer uploads), as a drawn frame would send them, so that the frame
        // that completes the view does not upload them all at once.
        for (const manager of Object.values(style.tileManagers)) {
          if (manager.used) {
            manager.prepare(painter.context);
          }
        }
        return;
      }
      painter.render = draw;
      draw(style, transform, data);
    };
    setTimeout(() => {
      if (painter.render !== draw) {
        painter.render = draw;
        this.map.triggerRepaint();
      }
    }, firstViewWholeDeadlineMs);
  }

  /** The shown layers' ids. */
  get visible(): ReadonlySet<string> {
    return this.#visible;
  }

  get colour(): ColourChoice | null {
    return this.#colour;
  }

  get paint(): ColourPaint | null {
    return this.#paint;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  setVisible(id: string, visible: boolean): void {
    // A layer the user toggles is theirs to see now, withheld or not.
    this.#withheld.delete(id);
    if (visible) {
      this.#visible.add(id);
    } else {
      this.#visible.delete(id);
    }
    for (const layerId of styleLayerIds(id)) {
      if (this.map.getLayer(layerId)) {
        this.map.setLayoutProperty(layerId, 'visibility', visible ? 'visible' : 'none');
      }
    }
  }

  /** Draws the shown layers that were withheld (the constructor's `withheld`), asking for their tiles now. */
  showWithheld(): void {
    const withheld = [...this.#withheld];
    this.#withheld.clear();
    for (const id of withheld.filter((w) => this.#visible.has(w))) {
      this.setVisible(id, true);
    }
  }

  /** The style layers a click can hit, top first. */
  interactiveLayers(): string[] {
    return ['sensoren', 'voorzieningen', 'beheerobjecten', 'beheerobjecten-lijn', 'bomen', 'panden', 'wegvakken', 'groenvlakken', 'buurten'].filter(
      (id) => this.map.getLayer(id) !== undefined,
    );
  }

  /**
   * The topmost object at a pixel, as collection and feature id. Below z14 a terraced row is one feature with the id of
   * its first building (docs/tiles.md), so a click there selects that building.
   */
  featureAt(point: [number, number]): Selection | null {
    for (const feature of this.map.queryRenderedFeatures(point, { layers: this.interactiveLayers() })) {
      const id = tileFeatureId(feature);
      if (id !== undefined) {
        return { collection: feature.layer.metadata ? String((feature.layer.metadata as Record<string, unknown>)['tweeling:laag']) : feature.source, id };
      }
    }
    return null;
  }

  /** The rendered features of collection `id` in view, one per feature id, each with its string id as property `id`. */
  renderedFeatures(id: string): MapGeoJSONFeature[] {
    const ids = styleLayerIds(id).filter((l) => this.map.getLayer(l));
    if (ids.length === 0 || !this.#visible.has(id)) {
      return [];
    }
    const seen = new Set<string>();
    return this.map.queryRenderedFeatures({ layers: ids }).filter((f) => {
      const key = tileFeatureId(f) ?? String(f.id);
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      // The overview tiles of panden carry the id as their integer only; the table lists the string.
      f.properties = { ...f.properties, id: key };
      return true;
    });
  }

  /**
   * Colours by `value` (a `#kleur-indicator` value; empty = default colours) and resolves with the milliseconds
   * until the map is idle with the new colours. Only paint properties change: the loaded geometry is reused.
   */
  async recolour(value: string): Promise<number> {
    const started = performance.now();
    const choice = parseChoice(value);
    if (value && !choice) {
      throw new Error(`'${value}' is not a colouring: use panden:<hoogte|bouwjaar>, buurten:<indicator> or panden-buurt:<indicator>.`);
    }
    if (choice && choice.target !== 'panden' && !this.#catalog.indicator(choice.key)) {
      throw new Error(`There is no indicator '${choice.key}' for this role.`);
    }
    const paint = choice ? await this.#paintOf(choice) : null;
    this.#colour = choice;
    this.#paint = paint;
    this.#applyPaint();
    if (paint && !this.#visible.has(paint.layer)) {
      this.setVisible(paint.layer, true);
    }
    await this.idle();
    return performance.now() - started;
  }

  /** Highlights the feature of `selection` (feature state), or none. */
  highlight(selection: Selection | null): void {
    if (this.#selected) {
      this.map.setFeatureState(this.#selected, { geselecteerd: false });
      this.#selected = null;
    }
    if (selection && this.map.getSource(selection.collection)) {
      const definition = layerDefinition(selection.collection);
      const tiled = definition?.source === 'tiles';
      const id = definition?.integerIds ? this.#integerIdOf(selection.collection, selection.id) : selection.id;
      if (id !== undefined) {
        this.#selected = { source: selection.collection, ...(tiled ? { sourceLayer: selection.collection } : {}), id };
        this.map.setFeatureState(this.#selected, { geselecteerd: true });
      }
    }
  }

  /**
   * The tiles' integer feature id of the object `id` of a layer with integer ids: a BAG id's own integer, else (an id of
   * another form, numbered by the server) that of a loaded feature with this `id` property; `undefined` if none is loaded.
   */
  #integerIdOf(collection: string, id: string): number | undefined {
    const integer = pandFeatureId(id);
    if (integer !== undefined) {
      return integer;
    }
    const loaded = this.map.querySourceFeatures(collection, { sourceLayer: collection, filter: ['==', ['get', 'id'], id] })[0];
    return typeof loaded?.id === 'number' ? loaded.id : undefined;
  }

  /** Moves the camera to a feature's geometry (from the items endpoint). */
  showFeature(feature: OgcFeature): void {
    const box = bbox(feature.geometry?.coordinates);
    if (!box) {
      return;
    }
    const animate = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (box[0] === box[2] && box[1] === box[3]) {
      this.map.easeTo({ center: [box[0], box[1]], zoom: Math.max(this.map.getZoom(), 16), animate });
    } else {
      this.map.fitBounds(box, { padding: 60, maxZoom: 17, pitch: this.map.getPitch(), bearing: this.map.getBearing(), animate });
    }
  }

  /** After sign-in or sign-out: the new role's catalog, and every tile and value fetched again with its credentials. */
  async reload(catalog: Catalog): Promise<void> {
    this.#catalog = catalog;
    this.#areas.clear();
    this.#failedSources.clear();
    this.map.setStyle(this.#style(), { diff: false });
    await new Promise<void>((resolve) => this.map.once('style.load', () => resolve()));
    if (this.#colour && (this.#colour.target === 'panden' || catalog.indicator(this.#colour.key))) {
      this.#paint = await this.#paintOf(this.#colour);
    } else {
      this.#colour = null;
      this.#paint = null;
    }
    this.#applyPaint();
    await this.loadSensors();
  }

  /** Shows the twin as of `peildatum` (tiles with `datetime`), or as of today. */
  async setPeildatum(peildatum: string | undefined): Promise<void> {
    for (const layer of layers) {
      const source = this.map.getSource(layer.id);
      if (layer.source === 'tiles' && source) {
        (source as VectorTileSource).setTiles([tileUrl(location.origin, layer.id, peildatum)]);
      }
    }
    this.#areas.clear();
    if (this.#colour) {
      if (this.#colour.target !== 'panden') {
        this.#paint = await this.#paintOf(this.#colour);
      }
      // A feature keeps its id across dates but not its values: colour every feature again once the new tiles are in.
      this.map.once('idle', () => this.#applyPaint());
      this.#applyPaint();
    }
  }

  /**
   * Shows the sensors (a few dozen points whose values change live) as GeoJSON, from the page's one load of them
   * (`App.sensors`, which the live panel usually has started already); every later load (another role) shows too.
   * Resolves with whether the source got new data (and so needs a frame to show it).
   */
  async loadSensors(): Promise<boolean> {
    if (!this.map.getSource('sensoren')) {
      return false;
    }
    try {
      return this.#showSensors(await this.app.sensors.load());
    } catch {
      this.onSourceError('sensoren');
      return false;
    }
  }

  #showSensors(items: readonly SensorItem[]): boolean {
    const source = this.map.getSource('sensoren') as GeoJSONSource | undefined;
    if (!source || items === this.#shownSensors) {
      return false;
    }
    this.#shownSensors = items;
    source.setData({
      type: 'FeatureCollection',
      features: items
        .filter((f) => f.geometry)
        .map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry as Geometry, properties: { ...f.properties, id: f.id } })),
    });
    return true;
  }

  /** The buurten's indicator values as of the reference date, fetched once per date and role. */
  areas(): Promise<Area[]> {
    const key = this.app.peildatum ?? '';
    let areas = this.#areas.get(key);
    if (!areas) {
      areas = this.app.api.get<Area[]>(`/api/v1/gebieden?niveau=buurt${key ? `&peildatum=${key}` : ''}`);
      this.#areas.set(key, areas);
      areas.catch(() => this.#areas.delete(key));
    }
    return areas;
  }

  async #paintOf(choice: ColourChoice): Promise<ColourPaint> {
    if (choice.target === 'panden') {
      return attributePaint(choice.key);
    }
    return indicatorPaint(choice.target, valuesByBuurt(await this.areas(), choice.key));
  }

  /** Gives the features of the current colouring's layer their colours, and takes them from every other layer. */
  #applyPaint(): void {
    for (const layer of colourableLayers) {
      if (this.#coloured.get(layer)?.size && this.map.getSource(layer)) {
        // One call clears the layer (also the selection, which is set again); one per feature would cost as much as colouring.
        this.map.removeFeatureState({ source: layer, sourceLayer: layer });
        if (this.#selected?.source === layer) {
          this.map.setFeatureState(this.#selected, { geselecteerd: true });
        }
      }
      this.#coloured.set(layer, new Set());
    }
    if (this.map.getLayer('buurten')) {
      this.map.setPaintProperty('buurten', 'fill-opacity', this.#paint?.layer === 'buurten' ? 0.75 : 0);
    }
    this.#colourLoaded();
  }

  /** Colours the loaded features of the colouring's layer that have no colour yet (their tiles loaded since). */
  #colourLoaded(): void {
    const paint = this.#paint;
    const coloured = paint && this.#coloured.get(paint.layer);
    if (!paint || !coloured || !this.map.getSource(paint.layer)) {
      return;
    }
    // A feature's `id` is what its feature state is keyed by: the promoted `id` property, or the tiles' integer id.
    for (const feature of this.map.querySourceFeatures(paint.layer, { sourceLayer: paint.layer })) {
      const id = feature.id;
      if (id === undefined || coloured.has(id)) {
        continue;
      }
      coloured.add(id);
      this.map.setFeatureState({ source: paint.layer, sourceLayer: paint.layer, id }, { kleur: paint.colourOf(feature.properties) });
    }
  }

  /** Tiles load one by one: colour their features once per batch, not once per tile. */
  #colourLoadedSoon(): void {
    if (!this.#colourPending) {
      this.#colourPending = true;
      setTimeout(() => {
        this.#colourPending = false;
        this.#colourLoaded();
      }, 100);
    }
  }

  #style() {
    const extent = this.#catalog.cityExtent();
    return buildStyle({
      origin: location.origin,
      ...(extent ? { bounds: extent } : {}),
      basemap: this.config.basemap,
      basemapAttribution: this.config.basemapAttribution ?? null,
      visible: this.#visible,
      withheld: this.#withheld,
      available: this.#catalog.available(),
      ...(this.app.peildatum ? { peildatum: this.app.peildatum } : {}),
    });
  }
}

/** MapLibre's control labels in Dutch. */
export const dutchControls: Record<string, string> = {
  'NavigationControl.ResetBearing': 'Draai de kaart naar het noorden',
  'NavigationControl.ZoomIn': 'Inzoomen',
  'NavigationControl.ZoomOut': 'Uitzoomen',
  'AttributionControl.ToggleAttribution': 'Toon bronvermelding',
  'Map.Title': 'Kaart',
};
