import type { App } from './app';
import { classOf, type ColourClass } from './colour';
import type { Area, ColourChoice } from './colouring';
import { h, replaceChildren } from './dom';
import { formatNumber, type Language, type MessageKey } from './i18n';
import { layerDefinition, layers } from './layers';

/** The most rows the table shows: more is no overview for anyone; search finds the rest. */
export const maxRows = 200;

export interface TableRow {
  readonly id: string;
  readonly name: string;
  readonly cells: readonly string[];
  /** The colour class of the row's value, when the map is coloured by it. */
  readonly colour?: string;
}

export interface TableModel {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  /** How many objects there are in all (more than `rows` when cut at `maxRows`). */
  readonly count: number;
}

/** A feature as the map renders it: its tile properties. */
export interface RenderedFeature {
  readonly properties: Record<string, unknown>;
}

/**
 * The table of the objects of layer `layerId` in view, one row per feature, sorted by name, at most
 * `maxRows`; when the map is coloured by a building attribute, the value's class is named too.
 */
export function featureTable(layerId: string, features: readonly RenderedFeature[], t: (key: MessageKey, p?: Record<string, string | number>) => string, language: Language, classes?: readonly ColourClass[], attribute?: string): TableModel {
  const definition = layerDefinition(layerId);
  const properties = (definition?.tableProperties ?? []).filter((p) => p !== definition?.nameProperty);
  const text = (value: unknown) => (typeof value === 'number' ? formatNumber(language, value, 2, false) : value === undefined || value === null ? '—' : String(value));
  const rows = features
    .map((f) => {
      const id = String(f.properties['id'] ?? '');
      const name = String(f.properties[definition?.nameProperty ?? 'naam'] ?? id);
      const value = attribute ? f.properties[attribute] : undefined;
      const colour = classes && typeof value === 'number' ? classOf(classes, value)?.colour : undefined;
      return { id, name, cells: properties.map((p) => text(f.properties[p])), ...(colour ? { colour } : {}) };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'nl', { numeric: true }));
  const layer = t(`layer.${layerId}` as MessageKey);
  return {
    caption: t('table.caption', { layer, count: rows.length }),
    columns: [t('table.name'), ...properties],
    rows: rows.slice(0, maxRows),
    count: rows.length,
  };
}

/** The table of all buurten with the value of the colouring indicator and its class. */
export function areaTable(areas: readonly Area[], indicator: { code: string; naam: string; eenheid: string }, classes: readonly ColourClass[], t: (key: MessageKey, p?: Record<string, string | number>) => string, language: Language): TableModel {
  const rows = areas
    .filter((a) => a.niveau === 'buurt')
    .map((a) => {
      const value = a.indicatoren.find((i) => i.code === indicator.code)?.waarde ?? null;
      const colour = classOf(classes, value)?.colour;
      return {
        id: a.code,
        name: a.naam,
        cells: [a.code, value === null ? t('legend.nodata') : formatNumber(language, value, 2)],
        ...(colour ? { colour } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'nl', { numeric: true }));
  return {
    caption: t('table.caption.areas', { layer: t('layer.buurten'), count: rows.length, indicator: indicator.naam }),
    columns: [t('table.name'), t('table.id'), `${indicator.naam} (${indicator.eenheid})`],
    rows,
    count: rows.length,
  };
}

/**
 * Renders `#tabel`, the map's content as a real table: caption, header cells with scope, one row per object,
 * and in each row a button that selects the object as a click on the map would.
 */
export function renderTable(table: HTMLTableElement, note: HTMLElement, model: TableModel, app: App, select: (id: string) => void): void {
  const t = app.t.bind(app);
  const hasColour = model.rows.some((r) => r.colour);
  replaceChildren(
    table,
    h('caption', {}, model.caption),
    h('thead', {}, h('tr', {}, model.columns.map((c) => h('th', { scope: 'col' }, c)), hasColour ? h('th', { scope: 'col' }, t('table.class')) : null)),
    h(
      'tbody',
      {},
      model.rows.length === 0
        ? h('tr', {}, h('td', { colspan: model.columns.length + (hasColour ? 1 : 0) }, t('table.empty')))
        : model.rows.map((row) => {
            const button = h('button', { type: 'button', class: 'utrecht-button utrecht-button--subtle tabel-kies', 'aria-label': t('table.select', { name: row.name }) }, row.name);
            button.addEventListener('click', () => select(row.id));
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, button),
              row.cells.map((c) => h('td', {}, c)),
              hasColour ? h('td', {}, row.colour ? h('span', { class: 'legenda-staal', 'data-kleur': row.colour, 'aria-hidden': 'true' }) : null) : null,
            );
          }),
    ),
  );
  for (const swatch of table.querySelectorAll<HTMLElement>('[data-kleur]')) {
    swatch.style.backgroundColor = swatch.dataset['kleur'] ?? '';
  }
  note.textContent = model.count > model.rows.length ? t('table.truncated', { shown: model.rows.length, count: model.count }) : '';
}

/** The layers the table can show: the shown ones, in the panel's order. */
export function tableLayers(visible: ReadonlySet<string>): string[] {
  return layers.filter((l) => visible.has(l.id)).map((l) => l.id);
}

/** Whether the table should show the buurten with the colouring indicator's values. */
export function showsAreas(layerId: string, choice: ColourChoice | null): boolean {
  return layerId === 'buurten' && choice !== null && choice.target !== 'panden';
}
