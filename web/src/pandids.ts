/**
 * The integer feature ids of the `panden` tiles (docs/tiles.md, "Integer ids of panden"; the server's `PandTileIds`).
 * A BAG pand id `GGGG10NNNNNNNNNN` (municipality, object type 10, ten-digit serial) is the integer
 * municipality × 10¹⁰ + serial, below 10¹⁴ and so exact in a JavaScript number. Below z14 such a building carries
 * only the integer; any other id has an integer from `unmappedFrom` on and keeps its string `id` in every tile.
 */

/** The first integer that stands for no BAG id. */
export const unmappedFrom = 100_000_000_000_000;

/** The serial's share of the integer: ten decimal digits. */
const serialRange = 10_000_000_000;

/** The BAG id an integer feature id below `unmappedFrom` stands for. */
export function pandIdOf(featureId: number): string {
  const serial = featureId % serialRange;
  const municipality = (featureId - serial) / serialRange;
  return `${String(municipality).padStart(4, '0')}10${String(serial).padStart(10, '0')}`;
}

/** The integer feature id of a BAG pand id, or `undefined` for an id of another form. */
export function pandFeatureId(id: string): number | undefined {
  const match = /^(\d{4})10(\d{10})$/.exec(id);
  return match ? Number(match[1]) * serialRange + Number(match[2]) : undefined;
}

/**
 * The string id of a rendered or loaded tile feature: its `id` property where the tile has one, else (a building of
 * the overview tiles) the BAG id its integer feature id stands for.
 */
export function tileFeatureId(feature: { readonly id?: string | number | undefined; readonly properties: Record<string, unknown> | null }): string | undefined {
  const id = feature.properties?.['id'];
  if (id !== undefined && id !== null) {
    return String(id);
  }
  return typeof feature.id === 'number' && Number.isInteger(feature.id) && feature.id >= 0 && feature.id < unmappedFrom ? pandIdOf(feature.id) : undefined;
}
