/** The bounding box [minLon, minLat, maxLon, maxLat] of GeoJSON coordinates (any nesting), or `undefined` for none. */
export function bbox(coordinates: unknown): [number, number, number, number] | undefined {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1]);
    } else if (Array.isArray(c)) {
      c.forEach(visit);
    }
  };
  visit(coordinates);
  return Number.isFinite(box[0]) ? box : undefined;
}

/** A point to fly to: a point itself, else the middle of the coordinates' bounding box. */
export function centreOf(coordinates: unknown): [number, number] | undefined {
  const box = bbox(coordinates);
  return box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : undefined;
}
