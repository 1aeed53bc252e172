/**
 * The theme dashboards' data as `/api/v1/dashboards/{armoede|binnenstad}` returns it, and the pure logic of the
 * charts drawn from it: which areas a chart shows, the scale of its bars, and the export file's address.
 */

/** One figure: its code, name, theme, unit, source datasets and classification; `beschermd` = disclosure-controlled. */
export interface Figure {
  readonly code: string;
  readonly naam: string;
  readonly thema: string;
  readonly eenheid: string;
  readonly bronnen: readonly string[];
  readonly classificatie: string;
  readonly beschermd: boolean;
}

/** One area with its values by figure code; `null` is a suppressed or unknown value. */
export interface DashboardArea {
  readonly code: string;
  readonly naam: string;
  readonly niveau: string;
  readonly waarden: Readonly<Record<string, number | null>>;
}

export interface Dashboard {
  readonly dashboard: string;
  readonly titel: string;
  readonly peildatum: string;
  readonly kengetallen: readonly Figure[];
  readonly gebieden: readonly DashboardArea[];
}

/** The dashboards of the UI: the id in the API and the hash route. */
export const dashboardIds = ['armoede', 'binnenstad'] as const;
export type DashboardId = (typeof dashboardIds)[number];

/** One bar of a chart: the area, its value (`null` = not shown) and the bar's length as a share of the longest (0..1). */
export interface Bar {
  readonly code: string;
  readonly label: string;
  readonly value: number | null;
  readonly share: number;
}

/**
 * The bars of the chart of `figure`: the areas of `level` (the dashboard's finest level that has a value of the figure,
 * so a figure the public sees only per wijk is charted per wijk), highest value first, suppressed values last, at most
 * `limit` (the table alternative lists them all).
 */
export function barsOf(dashboard: Dashboard, figure: Figure, limit = 15): Bar[] {
  const level = levelOf(dashboard, figure);
  const areas = dashboard.gebieden.filter((a) => a.niveau === level);
  const max = Math.max(0, ...areas.map((a) => a.waarden[figure.code] ?? 0));
  return areas
    .map((a) => ({ area: a, value: a.waarden[figure.code] ?? null }))
    .sort((x, y) => (y.value ?? -Infinity) - (x.value ?? -Infinity) || x.area.naam.localeCompare(y.area.naam))
    .slice(0, limit)
    .map(({ area, value }) => ({ code: area.code, label: area.naam, value, share: value === null || max <= 0 ? 0 : Math.max(0, value) / max }));
}

/** `buurt` when any buurt has a value of the figure, else `wijk` when a wijk has one, else `buurt`. */
export function levelOf(dashboard: Dashboard, figure: Figure): string {
  for (const level of ['buurt', 'wijk']) {
    if (dashboard.gebieden.some((a) => a.niveau === level && a.waarden[figure.code] !== null && a.waarden[figure.code] !== undefined)) {
      return level;
    }
  }
  return 'buurt';
}

/** The figures grouped by theme, in the order the API lists them. */
export function byTheme(figures: readonly Figure[]): [string, Figure[]][] {
  const themes = new Map<string, Figure[]>();
  for (const figure of figures) {
    themes.set(figure.thema, [...(themes.get(figure.thema) ?? []), figure]);
  }
  return [...themes];
}

/** The API path of a dashboard, as of `peildatum` when given, in `format` (json when absent). */
export function dashboardPath(id: DashboardId, peildatum: string | undefined, format?: 'csv' | 'geojson'): string {
  const params = new URLSearchParams();
  if (peildatum) {
    params.set('peildatum', peildatum);
  }
  if (format) {
    params.set('formaat', format);
  }
  const query = params.toString();
  return `/api/v1/dashboards/${id}${query ? `?${query}` : ''}`;
}

/** The file name of an export, as the server names it too. */
export function exportFileName(dashboard: Dashboard, format: 'csv' | 'geojson'): string {
  return `${dashboard.dashboard}-${dashboard.peildatum}.${format}`;
}
