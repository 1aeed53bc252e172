import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { withSelection, type Expression } from './colour';

/**
 * The map's layers: one per collection of `/ogc/collections`, grouped by policy domain (issue 5 item 2), drawn
 * from the platform's own Mapbox Vector Tiles (OGC API – Tiles) or, for the few sensors, GeoJSON. No external
 * basemap unless the deployment configures one.
 */

export type Domain = 'sociaal' | 'fysiek' | 'mobiliteit' | 'milieu' | 'beheer' | 'sensoren';

export const domains: readonly Domain[] = ['sociaal', 'fysiek', 'mobiliteit', 'milieu', 'beheer', 'sensoren'];

export interface LayerDefinition {
  /** The collection id, also the layer's `data-laag` and its vector tile layer name. */
  readonly id: string;
  readonly domain: Domain;
  /** Shown when the page opens. */
  readonly visible: boolean;
  /** Vector tiles (OGC API – Tiles) or GeoJSON items (small collections that change live). */
  readonly source: 'tiles' | 'geojson';
  /** The lowest zoom the platform serves the collection's tiles at (its tileset's first tile matrix; panden from 13). */
  readonly minzoom: number;
  /** The property the table and search show as the object's name. */
  readonly nameProperty: string;
  /** Further properties the table shows. */
  readonly tableProperties: readonly string[];
  /**
   * The tiles' integer feature ids key the feature state, not the `id` property (which overview tiles leave out where
   * the integer stands for it: `pandids.ts`, docs/tiles.md).
   */
  readonly integerIds?: true;
}

export const layers: readonly LayerDefinition[] = [
  { id: 'buurten', domain: 'sociaal', visible: true, source: 'tiles', minzoom: 10, nameProperty: 'naam', tableProperties: ['code', 'wijkcode'] },
  { id: 'wijken', domain: 'sociaal', visible: true, source: 'tiles', minzoom: 8, nameProperty: 'naam', tableProperties: ['code'] },
  { id: 'gemeenten', domain: 'sociaal', visible: true, source: 'tiles', minzoom: 6, nameProperty: 'naam', tableProperties: ['code'] },
  { id: 'voorzieningen', domain: 'sociaal', visible: true, source: 'tiles', minzoom: 11, nameProperty: 'naam', tableProperties: ['type', 'buurtcode'] },
  { id: 'panden', domain: 'fysiek', visible: true, source: 'tiles', minzoom: 13, nameProperty: 'id', tableProperties: ['functie', 'hoogte', 'bouwjaar', 'buurtcode'], integerIds: true },
  { id: 'wegvakken', domain: 'mobiliteit', visible: true, source: 'tiles', minzoom: 11, nameProperty: 'naam', tableProperties: ['wegklasse', 'maximumsnelheid'] },
  { id: 'groenvlakken', domain: 'milieu', visible: true, source: 'tiles', minzoom: 12, nameProperty: 'bodemgebruik', tableProperties: ['bodemgebruik', 'buurtcode'] },
  { id: 'bomen', domain: 'milieu', visible: false, source: 'tiles', minzoom: 14, nameProperty: 'soort', tableProperties: ['soort', 'hoogte'] },
  { id: 'beheerobjecten', domain: 'beheer', visible: false, source: 'tiles', minzoom: 13, nameProperty: 'naam', tableProperties: ['type', 'conditie'] },
  { id: 'sensoren', domain: 'sensoren', visible: true, source: 'geojson', minzoom: 0, nameProperty: 'naam', tableProperties: ['soort', 'laatsteWaarneming'] },
];

/**
 * The layers the map view draws only once its first view is in (`#kaart[data-ready=true]`): land use (groenvlakken,
 * 364 kB of tiles over the first view; 13,407 polygons to triangulate over the city at z13) and the facilities' points. The first useful view
 * is the buildings, the roads and the buurt, wijk and municipal boundaries (with the sensors); on two cores with
 * software WebGL these two would otherwise share MapLibre's one tile worker and every drawn frame with the buildings
 * (issue 5 item 10; docs/web-evidence.md item 10, docs/benchmarks.md "Web first view (web-firstview6)").
 */
export const afterFirstView: ReadonlySet<string> = new Set(['groenvlakken', 'voorzieningen']);

export function layerDefinition(id: string): LayerDefinition | undefined {
  return layers.find((l) => l.id === id);
}

/** The theme's map colours; text on the map is avoided, so these need contrast with the background only. */
export const mapColours = {
  background: '#f2efe9',
  water: '#9ecae1',
  groen: '#b7d9a8',
  verhard: '#dedad3',
  bebouwd: '#ebe3d6',
  road: '#ffffff',
  roadCasing: '#b3aca1',
  mainRoad: '#f6c86b',
  building: '#d8cbb8',
  selected: '#d4006a',
  buurtLine: '#6b5b95',
  wijkLine: '#3f2f73',
  gemeenteLine: '#1f1140',
  tree: '#3b7d32',
  asset: '#8c510a',
  sensor: '#6e6e6e',
  sensorLow: '#1d4e89',
  sensorMid: '#7b3294',
  sensorHigh: '#e66101',
  alarm: '#b00020',
  voorziening: '#01665e',
} as const;

/**
 * Gives a map's container the map's background colour, which the style leaves out. MapLibre clears its canvas to
 * transparent every frame and blends with premultiplied alpha, so the container's colour shows through wherever the
 * canvas draws nothing, and is blended under what it does draw, as a `background` layer would be; the compositor
 * blends a WebGL canvas with alpha either way. A `background` layer is one shader program and pipeline more in a view's
 * first frame, which software WebGL (SwiftShader) builds on the CPU on the first view's critical path, and it shades
 * every pixel of every frame once more (docs/benchmarks.md "web-firstview13").
 */
export function showMapBackground(container: HTMLElement): void {
  container.style.backgroundColor = mapColours.background;
}

/** A colouring's colour of each feature (feature state `kleur`, set by the map), else `fallback`. */
function colourByState(fallback: string): Expression {
  return ['to-color', ['coalesce', ['feature-state', 'kleur'], fallback]];
}

/**
 * The colour of buildings: a colouring's (feature state), else the building colour, the selection highlighted.
 * The expression never changes, so recolouring only changes feature state and never lays out a tile again.
 */
export const buildingColour = withSelection(colourByState(mapColours.building), mapColours.selected);

/** The fill of buurten: a colouring's (feature state); without one the fill is invisible (opacity 0), but there to click. */
export const buurtFill = colourByState(mapColours.building);

/** The URL template of a collection's vector tiles on `origin`, optionally as of a date (`datetime`). */
export function tileUrl(origin: string, collectionId: string, peildatum?: string): string {
  const base = `${origin}/ogc/collections/${encodeURIComponent(collectionId)}/tiles/WebMercatorQuad/{z}/{y}/{x}`;
  return peildatum ? `${base}?datetime=${encodeURIComponent(peildatum)}` : base;
}

export interface StyleOptions {
  /** The page's origin: MapLibre needs absolute tile URLs. */
  readonly origin: string;
  /** The city's extent in CRS84, [minLon, minLat, maxLon, maxLat]: no tile is asked for outside it. */
  readonly bounds?: readonly [number, number, number, number];
  /** An optional raster basemap URL template (off unless configured). */
  readonly basemap?: string | null;
  /** The credit the basemap's licence asks for (MapLibre's attribution control shows it). */
  readonly basemapAttribution?: string | null;
  /** Ids of the layers to show (default: each definition's `visible`). */
  readonly visible?: ReadonlySet<string>;
  /** Ids of shown layers held back for now (drawn hidden, so no tile of theirs is asked for until they are shown). */
  readonly withheld?: ReadonlySet<string>;
  /** The collections the caller may read; others get no source (nothing is asked that would be refused). */
  readonly available?: ReadonlySet<string>;
  readonly peildatum?: string;
}

/** The map style: sources for the available collections and their layers in drawing order. */
export function buildStyle(options: StyleOptions): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  const available = layers.filter((l) => !options.available || options.available.has(l.id));
  // MapLibre asks for the tiles of its sources in the order the style lists them (and the browser has six connections
  // to the platform): the collections whose tiles its worker takes longest over come first, so that work starts first.
  available.sort((a, b) => requestOrder.indexOf(a.id) - requestOrder.indexOf(b.id));
  for (const layer of available) {
    sources[layer.id] =
      layer.source === 'tiles'
        ? {
            type: 'vector',
            tiles: [tileUrl(options.origin, layer.id, options.peildatum)],
            minzoom: layer.minzoom,
            // The platform's tiles hold full detail at 16; deeper zooms reuse (overzoom) them.
            maxzoom: 16,
            ...(layer.integerIds ? {} : { promoteId: 'id' }),
            ...(options.bounds ? { bounds: [...options.bounds] as [number, number, number, number] } : {}),
          }
        : { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
  }
  // No `background` layer: the map's container shows the background colour ({@link showMapBackground}).
  const styleLayers: LayerSpecification[] = [];
  if (options.basemap) {
    sources['basiskaart'] = {
      type: 'raster',
      tiles: [options.basemap],
      tileSize: 256,
      ...(options.basemapAttribution ? { attribution: options.basemapAttribution } : {}),
    };
    styleLayers.push({ id: 'basiskaart', type: 'raster', source: 'basiskaart', paint: { 'raster-opacity': 0.6 } });
  }
  const shown = (id: string) => !options.withheld?.has(id) && (options.visible ? options.visible.has(id) : (layerDefinition(id)?.visible ?? false));
  for (const id of drawingOrder) {
    if (!sources[id]) {
      continue;
    }
    for (const spec of layerSpecs(id)) {
      styleLayers.push({ ...spec, layout: { ...(spec.layout ?? {}), visibility: shown(id) ? 'visible' : 'none' } } as LayerSpecification);
    }
  }
  return { version: 8, name: 'Tweeling', sources, layers: styleLayers };
}

/**
 * The order of the sources in the style, which is the order MapLibre asks for their tiles in: by the bytes of their
 * tiles in the first view (z13 over the demo city: panden 470 kB, groenvlakken 364, wegvakken 104, voorzieningen 19,
 * buurten 9, wijken 2, gemeenten 0.3; docs/benchmarks.md), the hidden ones and the GeoJSON sensors last. (The map view
 * asks for groenvlakken and voorzieningen only after its first view: {@link afterFirstView}.)
 */
const requestOrder = ['panden', 'groenvlakken', 'wegvakken', 'voorzieningen', 'buurten', 'wijken', 'gemeenten', 'bomen', 'beheerobjecten', 'sensoren'];

/** Bottom to top. */
const drawingOrder = ['groenvlakken', 'buurten', 'wegvakken', 'wijken', 'gemeenten', 'panden', 'bomen', 'beheerobjecten', 'voorzieningen', 'sensoren'];

/** The style layers of collection `id`; each carries `metadata['tweeling:laag']` so a toggle finds all of them. */
export function layerSpecs(id: string): LayerSpecification[] {
  const meta = { 'tweeling:laag': id };
  const base: { source: string; metadata: object; 'source-layer'?: string } = { source: id, metadata: meta, ...(layerDefinition(id)?.source === 'tiles' ? { 'source-layer': id } : {}) };
  switch (id) {
    case 'groenvlakken':
      return [
        {
          ...base,
          id: 'groenvlakken',
          type: 'fill',
          paint: {
            'fill-color': [
              'match',
              ['get', 'bodemgebruik'],
              'water',
              mapColours.water,
              'groen',
              mapColours.groen,
              'verhard',
              mapColours.verhard,
              mapColours.bebouwd,
            ],
          },
        } as LayerSpecification,
      ];
    case 'buurten':
      return [
        {
          ...base,
          id: 'buurten',
          type: 'fill',
          paint: { 'fill-color': buurtFill, 'fill-opacity': 0 },
        } as LayerSpecification,
        {
          ...base,
          id: 'buurten-rand',
          type: 'line',
          paint: {
            'line-color': ['case', ['boolean', ['feature-state', 'geselecteerd'], false], mapColours.selected, mapColours.buurtLine],
            'line-width': ['case', ['boolean', ['feature-state', 'geselecteerd'], false], 4, 1],
            'line-dasharray': [3, 2],
          },
        } as LayerSpecification,
      ];
    case 'wijken':
      return [{ ...base, id: 'wijken', type: 'line', paint: { 'line-color': mapColours.wijkLine, 'line-width': 2 } } as LayerSpecification];
    case 'gemeenten':
      return [{ ...base, id: 'gemeenten', type: 'line', paint: { 'line-color': mapColours.gemeenteLine, 'line-width': 3 } } as LayerSpecification];
    case 'wegvakken':
      return [
        {
          ...base,
          id: 'wegvakken',
          type: 'line',
          layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: {
            'line-color': [
              'case',
              ['boolean', ['feature-state', 'geselecteerd'], false],
              mapColours.selected,
              ['match', ['get', 'wegklasse'], ['stroomweg', 'gebiedsontsluitingsweg'], mapColours.mainRoad, 'fietspad', '#e3a6a6', mapColours.road],
            ],
            'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1, 16, ['match', ['get', 'wegklasse'], 'stroomweg', 10, 'gebiedsontsluitingsweg', 7, 'fietspad', 2, 4]],
          },
        } as LayerSpecification,
      ];
    case 'panden':
      return [
        {
          ...base,
          id: 'panden',
          type: 'fill-extrusion',
          minzoom: 13,
          paint: {
            'fill-extrusion-color': buildingColour,
            // Tiles carry the roof height in metres; a building without one stands 3 m (one storey) tall.
            'fill-extrusion-height': ['coalesce', ['to-number', ['get', 'hoogte']], 3],
            'fill-extrusion-base': 0,
            // Opaque: below 1 MapLibre draws every building twice per frame (depth, then colour; draw_fill_extrusion.ts),
            // and with software WebGL each frame of the first view and of a recolour is drawn on the CPU.
            'fill-extrusion-opacity': 1,
            'fill-extrusion-vertical-gradient': true,
          },
        } as LayerSpecification,
      ];
    case 'bomen':
      return [circle(base, 'bomen', mapColours.tree, 3)];
    case 'beheerobjecten':
      return [
        circle(base, 'beheerobjecten', mapColours.asset, 5, ['==', ['geometry-type'], 'Point']),
        {
          ...base,
          id: 'beheerobjecten-lijn',
          type: 'line',
          filter: ['!=', ['geometry-type'], 'Point'],
          paint: { 'line-color': mapColours.asset, 'line-width': 4 },
        } as LayerSpecification,
      ];
    case 'voorzieningen':
      return [circle(base, 'voorzieningen', mapColours.voorziening, 6)];
    case 'sensoren':
      return [sensorCircle(base)];
    default:
      return [];
  }
}

function circle(base: { source: string; metadata: object; 'source-layer'?: string }, id: string, colour: string, radius: number, filter?: unknown[]): LayerSpecification {
  return {
    ...base,
    id,
    type: 'circle',
    ...(filter ? { filter } : {}),
    paint: {
      'circle-color': withSelection(colour, mapColours.selected),
      'circle-radius': ['case', ['boolean', ['feature-state', 'geselecteerd'], false], radius + 3, radius],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  } as LayerSpecification;
}

/**
 * The sensors: coloured by the feature state `niveau` (0 lowest … 1 highest latest value among like sensors, set
 * live by `live/sensormap.ts`), grey without a value; an active alarm (`alarm`) gives a larger point with a thick
 * red ring, next to the labelled mark that says so in text.
 */
function sensorCircle(base: { source: string; metadata: object }): LayerSpecification {
  const alarm = ['boolean', ['feature-state', 'alarm'], false] as Expression;
  const level = ['feature-state', 'niveau'] as Expression;
  const byLevel = [
    'case',
    ['==', ['typeof', level], 'number'],
    ['interpolate', ['linear'], ['to-number', level, 0], 0, mapColours.sensorLow, 0.5, mapColours.sensorMid, 1, mapColours.sensorHigh],
    mapColours.sensor,
  ] as Expression;
  return {
    ...base,
    id: 'sensoren',
    type: 'circle',
    paint: {
      'circle-color': withSelection(byLevel, mapColours.selected),
      'circle-radius': ['case', ['boolean', ['feature-state', 'geselecteerd'], false], 10, alarm, 9, 7],
      'circle-stroke-color': ['case', alarm, mapColours.alarm, '#ffffff'],
      'circle-stroke-width': ['case', alarm, 4, 1.5],
    },
  } as LayerSpecification;
}

/** The style layer ids of collection `id` (for visibility toggles and click handling). */
export function styleLayerIds(id: string): string[] {
  return layerSpecs(id).map((l) => l.id);
}
