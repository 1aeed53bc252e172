import { Color } from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it, vi } from 'vitest';
import { skipTransparentSky, skyIsVisible } from '../src/sky';

/** The sky MapLibre evaluates for a style without `sky` (its `Sky.setSky` default): transparent sky and horizon. */
const defaultSky = { 'sky-color': Color.parse('transparent')!, 'horizon-color': Color.parse('transparent')! };

/** A map whose painter has MapLibre's shape as far as the sky pass goes: a shared table of draw functions. */
function fakeMap(shared: { sky: (mesh: unknown, frame: unknown) => void; fill: () => void }) {
  return { painter: { drawFunctions: shared } } as unknown as MapLibreMap & { painter: { drawFunctions: typeof shared } };
}

describe('the sky pass', () => {
  it('is invisible for the default sky and visible once the sky or the horizon has colour', () => {
    expect(skyIsVisible(defaultSky)).toBe(false);
    expect(skyIsVisible({ ...defaultSky, 'sky-color': Color.parse('#88c6fc')! })).toBe(true);
    expect(skyIsVisible({ ...defaultSky, 'horizon-color': Color.parse('rgba(255, 255, 255, 0.5)')! })).toBe(true);
    expect(skyIsVisible(undefined)).toBe(false);
  });

  it('is left out while the sky is transparent, drawn when it is not, and other maps keep their table', () => {
    const sky = vi.fn();
    const fill = vi.fn();
    const shared = { sky, fill };
    const map = fakeMap(shared);

    skipTransparentSky(map);
    map.painter.drawFunctions.sky('mesh', { data: { sky: defaultSky } });
    expect(sky).not.toHaveBeenCalled();
    const blue = { ...defaultSky, 'sky-color': Color.parse('#88c6fc')! };
    map.painter.drawFunctions.sky('mesh', { data: { sky: blue } });
    expect(sky).toHaveBeenCalledExactlyOnceWith('mesh', { data: { sky: blue } });

    expect(map.painter.drawFunctions.fill).toBe(fill);
    expect(shared.sky).toBe(sky);
  });
});
