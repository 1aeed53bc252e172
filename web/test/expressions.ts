import { createPropertyExpression, latest } from '@maplibre/maplibre-gl-style-spec';

/** Evaluates a paint expression as MapLibre would for one feature (its tile properties and feature state). */
export function evaluateColour(expression: unknown, properties: Record<string, unknown>, state: Record<string, unknown> = {}, property = 'fill-extrusion-color', layer = 'paint_fill-extrusion'): string {
  const spec = (latest as unknown as Record<string, Record<string, unknown>>)[layer]![property];
  const parsed = createPropertyExpression(expression, property, spec as never);
  if (parsed.result !== 'success') {
    throw new Error(`Not a valid ${property}: ${JSON.stringify(parsed.value)}`);
  }
  const colour = parsed.value.evaluate({ zoom: 15 }, { type: 'Polygon', properties } as never, state) as { r: number; g: number; b: number };
  const hex = (c: number) => Math.round(c * 255).toString(16).padStart(2, '0');
  return `#${hex(colour.r)}${hex(colour.g)}${hex(colour.b)}`;
}
