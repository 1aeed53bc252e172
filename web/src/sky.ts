import type { Map as MapLibreMap } from 'maplibre-gl';

/** The sky's colours as MapLibre evaluates them (`SkyPropsPossiblyEvaluated`): only their alpha matters here. */
interface SkyColours {
  readonly 'sky-color': { readonly a: number };
  readonly 'horizon-color': { readonly a: number };
}

/** Whether a sky with these colours can change a pixel: its shader writes mixes of the sky and horizon colours only. */
export function skyIsVisible(sky: SkyColours | null | undefined): boolean {
  return sky != null && (sky['sky-color'].a > 0 || sky['horizon-color'].a > 0);
}

/**
 * Leaves out MapLibre's sky pass while the sky is transparent, as it is in every style of this UI (none sets `sky`, so
 * MapLibre's default, transparent sky and horizon, applies). MapLibre draws the sky every frame all the same: a
 * full-canvas quad with a shader of its own, right after clearing to transparent, at the far depth the clear wrote
 * (`sky.vertex.glsl`: z = w), so a transparent sky changes no pixel. With software WebGL (SwiftShader; the machines the
 * platform is measured on have no GPU) that pass shaded every pixel of the canvas again: a recolour-sized frame of the
 * demo city took 162 ms with it and 112 ms without (medians of 28 interleaved rounds of ten frames, load 13–42), with
 * the same pixels (docs/benchmarks.md "web-firstview11"); and the first frame no longer compiles its
 * program. This reaches into MapLibre's painter (`drawFunctions`), which is not public API: check it when MapLibre is
 * upgraded. A style with a visible sky is drawn as before.
 */
export function skipTransparentSky(map: MapLibreMap): void {
  const painter = map.painter;
  const drawFunctions = painter.drawFunctions;
  // A copy, not the object itself: MapLibre's painters share one table of draw functions, which stays as it is.
  painter.drawFunctions = {
    ...drawFunctions,
    sky: (mesh, frame) => {
      if (skyIsVisible(frame.data.sky)) {
        drawFunctions.sky(mesh, frame);
      }
    },
  };
}
