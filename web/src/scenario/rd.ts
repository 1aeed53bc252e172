/**
 * RD New (EPSG:28992) to WGS84 longitude and latitude by the approximation of Schreutelkamp and Strang van Hees,
 * "Benaderingsformules voor de transformatie tussen RD- en WGS84-kaartcoördinaten" (2001): polynomials in the
 * offset from Amersfoort (x 155,000, y 463,000 m), within about 1 m over the Netherlands — far below a 25 m grid
 * cell, so the UI places the results' grids without a projection library.
 */

/** [p, q, coefficient in arc seconds] of Δx^p·Δy^q, Δ in units of 100 km. */
const latitudeTerms = [[0, 1, 3235.65389], [2, 0, -32.58297], [0, 2, -0.2475], [2, 1, -0.84978], [0, 3, -0.0655], [2, 2, -0.01709], [1, 0, -0.00738], [4, 0, 0.0053], [2, 3, -0.00039], [4, 1, 0.00033], [1, 1, -0.00012]] as const;
const longitudeTerms = [[1, 0, 5260.52916], [1, 1, 105.94684], [1, 2, 2.45656], [3, 0, -0.81885], [1, 3, 0.05594], [3, 1, -0.05607], [0, 1, 0.01199], [3, 2, -0.00256], [1, 4, 0.00128], [0, 2, 0.00022], [2, 0, -0.00022], [5, 0, 0.00026]] as const;

/** `[longitude, latitude]` in degrees of the RD New point (`x`, `y`) in metres. */
export function rdToCrs84(x: number, y: number): [number, number] {
  const dx = (x - 155_000) * 1e-5;
  const dy = (y - 463_000) * 1e-5;
  const sum = (terms: readonly (readonly [number, number, number])[]) => terms.reduce((total, [p, q, c]) => total + c * dx ** p * dy ** q, 0);
  return [5.38720621 + sum(longitudeTerms) / 3600, 52.1551744 + sum(latitudeTerms) / 3600];
}
