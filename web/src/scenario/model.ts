/**
 * The scenario editor's logic without the page: the eleven kinds of intervention with their parameters and the
 * server's ranges (docs/scenarios.md, `ScenarioContent.Member` in src/Tweeling.Domain/Scenarios), the mapping between
 * an intervention being edited and the request body, GeoJSON in CRS84 with closed rings, and the server's
 * `invalid-body` problem split into messages per field.
 */

/** A GeoJSON Polygon in CRS84: rings of [longitude, latitude], each closed (last position = first). */
export interface PolygonGeometry {
  readonly type: 'Polygon';
  readonly coordinates: number[][][];
}

/** A GeoJSON Point in CRS84. */
export interface PointGeometry {
  readonly type: 'Point';
  readonly coordinates: [number, number];
}

/** How a parameter is entered: drawn or chosen on the map, or typed into a form control. */
export type FieldKind = 'polygon' | 'point' | 'roads' | 'facility' | 'whole' | 'number' | 'choice' | 'facility-type';

export interface FieldSpec {
  /** The body member (Dutch, as the API names it). */
  readonly name: string;
  readonly kind: FieldKind;
  /** Inclusive bounds the server checks (HTML `min`/`max`). */
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly string[];
}

const count = { kind: 'whole', min: 1, max: 100_000 } as const;
// The server refuses a capacity of 0 ("greater than 0"); 0.01 is the smallest the form offers (an HTML `min` is
// inclusive), a hundredth of the type's unit (e.g. FTE for a huisarts).
const capacity = { name: 'capaciteit', kind: 'number', min: 0.01, max: 1_000_000 } as const;
const roads = { name: 'wegvakken', kind: 'roads' } as const;
const facility = { name: 'voorziening', kind: 'facility' } as const;

/** The eleven kinds, each with its members in the order the form shows them. */
export const interventionKinds = {
  'woningen-toevoegen': [
    { name: 'gebied', kind: 'polygon' },
    { name: 'aantal', ...count },
    { name: 'woningtype', kind: 'choice', options: ['appartement', 'tussenwoning', 'hoekwoning', 'twee-onder-een-kap', 'vrijstaand'] },
    { name: 'eigendom', kind: 'choice', options: ['koop', 'sociale-huur', 'particuliere-huur'] },
  ],
  'woningen-slopen': [{ name: 'gebied', kind: 'polygon' }],
  'voorziening-toevoegen': [{ name: 'voorzieningtype', kind: 'facility-type' }, { name: 'locatie', kind: 'point' }, capacity],
  'voorziening-opheffen': [facility],
  'voorziening-wijzigen': [facility, capacity],
  'wegen-afsluiten': [roads],
  'snelheid-wijzigen': [roads, { name: 'snelheid', kind: 'number', min: 5, max: 130 }],
  'verkeer-factor': [{ name: 'zone', kind: 'polygon' }, { name: 'factor', kind: 'number', min: 0, max: 5 }],
  'groen-toevoegen': [{ name: 'gebied', kind: 'polygon' }, { name: 'groensoort', kind: 'choice', options: ['gras', 'struiken', 'bomen', 'water', 'onthard'] }],
  'bevolking-vergrijzen': [{ name: 'jaren', kind: 'whole', min: 1, max: 50 }],
  'banen-verplaatsen': [{ name: 'van', kind: 'polygon' }, { name: 'naar', kind: 'polygon' }, { name: 'aantal', ...count }],
} as const satisfies Record<string, readonly FieldSpec[]>;

export type InterventionKind = keyof typeof interventionKinds;

export const kindNames = Object.keys(interventionKinds) as InterventionKind[];

/** A parameter's value while it is edited: a geometry, road ids, a facility id, a number or a word; absent = not set. */
export type FieldValue = PolygonGeometry | PointGeometry | string[] | string | number;

/** An intervention as the editor holds it. */
export interface Intervention {
  readonly soort: InterventionKind;
  readonly values: Readonly<Record<string, FieldValue>>;
}

export function fieldsOf(kind: InterventionKind): readonly FieldSpec[] {
  return interventionKinds[kind];
}

export function isKind(value: unknown): value is InterventionKind {
  return typeof value === 'string' && value in interventionKinds;
}

/**
 * Degrees to 7 decimals: about 1 cm on the ground at 52° N, finer than the millimetre rounding the server applies in
 * RD New only where it matters nowhere; it keeps drawn coordinates free of float noise (e.g. 4.700000000000001).
 */
const decimals = 1e7;

function round(value: number): number {
  return Math.round(value * decimals) / decimals;
}

/** A ring of positions, rounded and closed (its first position repeated at the end if it is not already). */
export function closedRing(positions: readonly (readonly number[])[]): number[][] {
  const ring = positions.map((p) => [round(p[0]!), round(p[1]!)]);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    ring.push([first[0]!, first[1]!]);
  }
  return ring;
}

/**
 * A GeoJSON Polygon or MultiPolygon (a buurt may be one) as one Polygon with closed, rounded rings: the largest part of
 * a MultiPolygon by its outer ring's area (in degrees², enough to compare parts of one buurt); `null` for anything else.
 */
export function polygonOf(geometry: { type: string; coordinates?: unknown } | null | undefined): PolygonGeometry | null {
  if (geometry?.type === 'Polygon' && Array.isArray(geometry.coordinates)) {
    return { type: 'Polygon', coordinates: (geometry.coordinates as number[][][]).map(closedRing) };
  }
  if (geometry?.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) {
    const parts = geometry.coordinates as number[][][][];
    const largest = parts.reduce<number[][][] | null>((best, part) => (best === null || ringArea(part[0] ?? []) > ringArea(best[0] ?? []) ? part : best), null);
    return largest ? { type: 'Polygon', coordinates: largest.map(closedRing) } : null;
  }
  return null;
}

/** The absolute area of a ring by the shoelace formula, in the square of its units. */
export function ringArea(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  }
  return Math.abs(sum) / 2;
}

/** A point at [longitude, latitude], rounded; `null` unless both are finite. */
export function pointOf(longitude: number, latitude: number): PointGeometry | null {
  return Number.isFinite(longitude) && Number.isFinite(latitude) ? { type: 'Point', coordinates: [round(longitude), round(latitude)] } : null;
}

/** The request body member of an intervention: `soort` and its set parameters, geometries with closed rings. */
export function interventionBody(intervention: Intervention): Record<string, unknown> {
  const body: Record<string, unknown> = { soort: intervention.soort };
  for (const field of fieldsOf(intervention.soort)) {
    const value = intervention.values[field.name];
    if (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value))) {
      continue;
    }
    body[field.name] = field.kind === 'polygon' && typeof value === 'object' && !Array.isArray(value) && value.type === 'Polygon' ? polygonOf(value) : value;
  }
  return body;
}

/** The body of `POST /api/v1/scenarios` and `PUT /api/v1/scenarios/{id}`. */
export interface ScenarioDraft {
  readonly naam: string;
  readonly beschrijving: string;
  readonly peildatum: string;
  readonly ingrepen: readonly Intervention[];
}

export function scenarioBody(draft: ScenarioDraft): Record<string, unknown> {
  return {
    naam: draft.naam.trim(),
    ...(draft.beschrijving.trim() ? { beschrijving: draft.beschrijving.trim() } : {}),
    peildatum: draft.peildatum,
    ingrepen: draft.ingrepen.map(interventionBody),
  };
}

/** An intervention of a stored version (`ingrepen` of `GET /api/v1/scenarios/{id}`) as the editor holds it; `null` for a kind this UI does not know. */
export function interventionFromBody(body: Record<string, unknown>): Intervention | null {
  const soort = body['soort'];
  if (!isKind(soort)) {
    return null;
  }
  const values: Record<string, FieldValue> = {};
  for (const field of fieldsOf(soort)) {
    const value = body[field.name];
    if (value === undefined || value === null) {
      continue;
    }
    if (field.kind === 'polygon') {
      const polygon = polygonOf(value as { type: string; coordinates?: unknown });
      if (polygon) {
        values[field.name] = polygon;
      }
    } else if (field.kind === 'point') {
      const c = (value as { coordinates?: unknown }).coordinates;
      const point = Array.isArray(c) ? pointOf(Number(c[0]), Number(c[1])) : null;
      if (point) {
        values[field.name] = point;
      }
    } else if (field.kind === 'roads') {
      values[field.name] = Array.isArray(value) ? value.map(String) : [];
    } else if (field.kind === 'whole' || field.kind === 'number') {
      values[field.name] = Number(value);
    } else {
      values[field.name] = String(value);
    }
  }
  return { soort, values };
}

/**
 * The problems the editor finds before asking the server: a parameter not set, or outside the server's range. Keys as
 * in {@link problemsByField}: `ingrepen[i].name`. The server checks again (and more: geometry validity, the
 * Netherlands), and its answer is shown the same way.
 */
export type FieldProblem = 'required' | 'range' | 'whole';

export function missingOrOutOfRange(intervention: Intervention): Map<string, FieldProblem> {
  const problems = new Map<string, FieldProblem>();
  for (const field of fieldsOf(intervention.soort)) {
    const value = intervention.values[field.name];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'number' && Number.isNaN(value))) {
      problems.set(field.name, 'required');
    } else if (typeof value === 'number') {
      if (field.kind === 'whole' && !Number.isInteger(value)) {
        problems.set(field.name, 'whole');
      } else if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
        problems.set(field.name, 'range');
      }
    }
  }
  return problems;
}

/** The server's problems sorted by what they are about: a scenario member, an intervention, or one intervention's member. */
export interface ProblemsByField {
  /** By key: `naam`, `beschrijving`, `peildatum`, `ingrepen`, `ingrepen[2]` (the intervention) or `ingrepen[2].aantal`. */
  readonly fields: ReadonlyMap<string, readonly string[]>;
  /** Problems about none of these (e.g. a body that is not JSON). */
  readonly general: readonly string[];
}

/**
 * Splits the `detail` of an `invalid-body` problem ("<what>: <problem> <problem> … Nothing was stored.", every problem
 * of the body, Scenarios.ReadDraftAsync) into its problems and sorts them by field. A problem starts with
 * `ingrepen[i]`, a quoted scenario member, or "Unknown member(s)"; splitting at those (not at every ". ") keeps
 * problems whole that contain "e.g." or a date format.
 */
export function problemsByField(detail: string): ProblemsByField {
  const fields = new Map<string, string[]>();
  const general: string[] = [];
  const body = detail.replace(/\s*Nothing was stored\.\s*$/, '');
  const colon = body.search(/: (?=ingrepen\[\d+\]|'(?:naam|beschrijving|peildatum|ingrepen)'|Unknown member)/);
  const list = colon >= 0 ? body.slice(colon + 2) : body;
  const parts = list.split(/ (?=ingrepen\[\d+\]|'(?:naam|beschrijving|peildatum|ingrepen)' |Unknown member)/);
  const add = (key: string, message: string) => fields.set(key, [...(fields.get(key) ?? []), message]);
  for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
    const member = /^ingrepen\[(\d+)\](?: \([a-z-]+\))?: '([a-zA-Z]+)'/.exec(part);
    const intervention = /^ingrepen\[(\d+)\]/.exec(part);
    const scenarioMember = /^'(naam|beschrijving|peildatum|ingrepen)'/.exec(part);
    if (member) {
      add(`ingrepen[${member[1]}].${member[2]}`, part);
    } else if (intervention) {
      add(`ingrepen[${intervention[1]}]`, part);
    } else if (scenarioMember) {
      add(scenarioMember[1]!, part);
    } else {
      general.push(part);
    }
  }
  return { fields, general };
}

/** The first `length` characters of a content hash: enough to tell versions apart at a glance. */
export function shortHash(hash: string, length = 12): string {
  return hash.slice(0, length);
}

/** The results route of a run (the results view, web/src/scenario/results*): `#/scenarios/resultaat?scenario=<id>:<versie>`. */
export function resultsRoute(id: number, version: number): string {
  return `#/scenarios/resultaat?scenario=${id}:${version}`;
}

/** The scenario id in an editor route `#/scenarios?scenario=<id>`, or `null`. */
export function scenarioIdOf(hash: string): number | null {
  const query = hash.split('?')[1] ?? '';
  const id = new URLSearchParams(query).get('scenario');
  return id && /^\d+$/.test(id) && Number(id) > 0 ? Number(id) : null;
}
