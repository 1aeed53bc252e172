import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { afterFirstView, buildStyle, domains, layers, mapColours, showMapBackground, styleLayerIds, tileUrl } from '../src/layers';
import { evaluateColour } from './expressions';

const origin = 'http://127.0.0.1:8080';

describe('layers', () => {
  it('give every domain of the contract at least one layer', () => {
    expect(domains).toEqual(['sociaal', 'fysiek', 'mobiliteit', 'milieu', 'beheer', 'sensoren']);
    for (const domain of domains) {
      expect(layers.some((l) => l.domain === domain), domain).toBe(true);
    }
  });

  it('ask for the tiles at the OGC API – Tiles path of the contract', () => {
    expect(tileUrl(origin, 'panden')).toBe('http://127.0.0.1:8080/ogc/collections/panden/tiles/WebMercatorQuad/{z}/{y}/{x}');
    expect(tileUrl(origin, 'panden', '2020-01-01')).toBe('http://127.0.0.1:8080/ogc/collections/panden/tiles/WebMercatorQuad/{z}/{y}/{x}?datetime=2020-01-01');
  });
});

describe('the map style', () => {
  it('is a valid MapLibre style', () => {
    const style = buildStyle({ origin, bounds: [4.6, 51.75, 4.8, 51.85], basemap: 'https://tiles.example/{z}/{x}/{y}.png' });
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('reads each collection from its own tile layer, with the OGC feature id as the feature id (panden: the tiles\' integer id)', () => {
    const style = buildStyle({ origin });
    for (const layer of layers.filter((l) => l.source === 'tiles')) {
      const source = style.sources[layer.id] as { type: string; tiles: string[]; promoteId?: string; minzoom: number };
      expect(source.type).toBe('vector');
      expect(source.tiles).toEqual([tileUrl(origin, layer.id)]);
      expect(source.promoteId).toBe(layer.id === 'panden' ? undefined : 'id');
      for (const spec of style.layers.filter((s) => 'source' in s && s.source === layer.id)) {
        expect((spec as { 'source-layer': string })['source-layer']).toBe(layer.id);
      }
    }
    expect(style.sources['sensoren']?.type).toBe('geojson');
  });

  it('extrudes buildings by their height in metres, 3 m where a building has none', () => {
    const panden = buildStyle({ origin }).layers.find((l) => l.id === 'panden') as { type: string; paint: Record<string, unknown> };
    expect(panden.type).toBe('fill-extrusion');
    expect(panden.paint['fill-extrusion-height']).toEqual(['coalesce', ['to-number', ['get', 'hoogte']], 3]);
  });

  it('draws water, green and paving in their own colours', () => {
    const groen = buildStyle({ origin }).layers.find((l) => l.id === 'groenvlakken') as { paint: Record<string, unknown> };
    const colour = (bodemgebruik: string) => evaluateColour(groen.paint['fill-color'], { bodemgebruik }, {}, 'fill-color', 'paint_fill');
    expect(colour('water')).toBe(mapColours.water);
    expect(colour('groen')).toBe(mapColours.groen);
    expect(colour('verhard')).toBe(mapColours.verhard);
  });

  it('draws a withheld layer hidden, so none of its tiles is asked for, and leaves the others as shown', () => {
    const visibility = (style: ReturnType<typeof buildStyle>, id: string) => (style.layers.find((l) => l.id === id)?.layout as { visibility?: string } | undefined)?.visibility;
    const shown = new Set(['panden', 'groenvlakken', 'voorzieningen', 'wegvakken', 'buurten']);
    const style = buildStyle({ origin, visible: shown, withheld: new Set(['groenvlakken', 'voorzieningen']) });
    expect(visibility(style, 'groenvlakken')).toBe('none');
    expect(visibility(style, 'voorzieningen')).toBe('none');
    expect(visibility(style, 'panden')).toBe('visible');
    expect(visibility(style, 'wegvakken')).toBe('visible');
    expect(visibility(style, 'buurten-rand')).toBe('visible');
    expect(style.sources['groenvlakken']?.type).toBe('vector');
    expect(visibility(buildStyle({ origin, visible: shown }), 'groenvlakken')).toBe('visible');
  });

  it('holds back only secondary layers from the map view\'s first view: never buildings, roads, boundaries or sensors', () => {
    for (const id of ['panden', 'wegvakken', 'buurten', 'wijken', 'gemeenten', 'sensoren']) {
      expect(afterFirstView.has(id), id).toBe(false);
    }
  });

  it('leaves the background to the map\'s container: no background layer, the container in the background colour', () => {
    const style = buildStyle({ origin, basemap: 'https://tiles.example/{z}/{x}/{y}.png' });
    expect(style.layers.filter((l) => l.type === 'background')).toEqual([]);
    const container = { style: { backgroundColor: '' } } as unknown as HTMLElement;
    showMapBackground(container);
    expect(container.style.backgroundColor).toBe(mapColours.background);
  });

  it('has no external basemap unless one is configured', () => {
    expect(buildStyle({ origin }).sources['basiskaart']).toBeUndefined();
    expect(buildStyle({ origin, basemap: null }).layers.some((l) => l.id === 'basiskaart')).toBe(false);
    expect(buildStyle({ origin, basemap: 'https://tiles.example/{z}/{x}/{y}.png' }).layers[0]?.id).toBe('basiskaart');
  });

  it('credits a configured basemap as its licence asks', () => {
    const style = buildStyle({ origin, basemap: 'https://tiles.example/{z}/{x}/{y}.png', basemapAttribution: 'Kaartgegevens © Kadaster' });
    expect(style.sources['basiskaart']).toMatchObject({ type: 'raster', attribution: 'Kaartgegevens © Kadaster' });
    expect(buildStyle({ origin, basemap: 'https://tiles.example/{z}/{x}/{y}.png' }).sources['basiskaart']).not.toHaveProperty('attribution');
  });

  it('shows the chosen layers and hides the others; a toggle finds all style layers of a collection', () => {
    const style = buildStyle({ origin, visible: new Set(['panden']) });
    const visibility = (id: string) => (style.layers.find((l) => l.id === id)?.layout as { visibility: string }).visibility;
    expect(visibility('panden')).toBe('visible');
    expect(visibility('buurten')).toBe('none');
    expect(visibility('buurten-rand')).toBe('none');
    expect(styleLayerIds('buurten')).toEqual(['buurten', 'buurten-rand']);
    for (const spec of style.layers) {
      expect((spec.metadata as Record<string, string>)['tweeling:laag']).toBeTruthy();
    }
  });

  it('asks nothing of collections the role may not read', () => {
    const style = buildStyle({ origin, available: new Set(['panden', 'buurten']) });
    expect(Object.keys(style.sources).sort()).toEqual(['buurten', 'panden']);
    expect(style.layers.map((l) => l.id)).toEqual(['buurten', 'buurten-rand', 'panden']);
  });

  it('lists the sources (the order MapLibre asks for their tiles in) heaviest first, and draws them in their own order', () => {
    const style = buildStyle({ origin });
    expect(Object.keys(style.sources)).toEqual(['panden', 'groenvlakken', 'wegvakken', 'voorzieningen', 'buurten', 'wijken', 'gemeenten', 'bomen', 'beheerobjecten', 'sensoren']);
    const drawn = style.layers.map((l) => l.id);
    expect(drawn.indexOf('groenvlakken')).toBeLessThan(drawn.indexOf('panden'));
    expect(drawn.indexOf('panden')).toBeLessThan(drawn.indexOf('sensoren'));
  });

  it('keeps tile requests inside the city when its extent is known', () => {
    const style = buildStyle({ origin, bounds: [4.6, 51.75, 4.8, 51.85] });
    expect((style.sources['panden'] as { bounds: number[] }).bounds).toEqual([4.6, 51.75, 4.8, 51.85]);
  });
});
