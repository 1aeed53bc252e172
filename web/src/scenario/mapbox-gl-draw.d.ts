// The parts of @mapbox/mapbox-gl-draw 1.5 (which ships no types) that the scenario editor uses; see its API.md.
declare module '@mapbox/mapbox-gl-draw' {
  import type { Feature, FeatureCollection } from 'geojson';
  import type { IControl } from 'maplibre-gl';

  interface DrawOptions {
    displayControlsDefault?: boolean;
    controls?: Record<string, boolean>;
    keybindings?: boolean;
    touchEnabled?: boolean;
    boxSelect?: boolean;
    styles?: object[];
  }

  export default class MapboxDraw implements IControl {
    static constants: { classes: Record<string, string> };
    constructor(options?: DrawOptions);
    onAdd(map: unknown): HTMLElement;
    onRemove(map: unknown): void;
    add(geojson: Feature | FeatureCollection): string[];
    getAll(): FeatureCollection;
    delete(ids: string | string[]): this;
    deleteAll(): this;
    changeMode(mode: string, options?: object): this;
    getMode(): string;
  }
}
