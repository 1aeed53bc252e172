import type { App } from './app';
import type { Catalog, DatasetInfo } from './catalog';
import { noDataColour, type ColourClass } from './colour';
import { buildingAttributes, type ColourChoice, type ColourPaint } from './colouring';
import { h, replaceChildren } from './dom';
import { formatNumber, type Language, type MessageKey } from './i18n';
import { mapColours } from './layers';

/** One row of the legend: a swatch and its text. */
export interface LegendRow {
  readonly colour: string;
  readonly label: string;
}

/**
 * The legend rows of a colouring: one per class ("0 tot 6", …, "25 of meer") and one for areas or buildings
 * without a value (none, or protected by disclosure control). Years are written without grouping.
 */
export function classRows(classes: readonly ColourClass[], language: Language, t: (key: MessageKey, p?: Record<string, string>) => string, years = false): LegendRow[] {
  const number = (v: number) => (years ? String(Math.round(v)) : formatNumber(language, v));
  const rows = classes.map((c, i) => ({
    colour: c.colour,
    label:
      classes.length === 1
        ? number(c.from)
        : i === classes.length - 1
          ? t('legend.atleast', { from: number(c.from) })
          : t('legend.range', { from: number(c.from), to: number(c.to) }),
  }));
  return [...rows, { colour: noDataColour, label: t('legend.nodata') }];
}

/** The rows of the default colours of the shown layers. */
export function defaultRows(visible: ReadonlySet<string>, t: (key: MessageKey) => string): LegendRow[] {
  const rows: LegendRow[] = [];
  if (visible.has('groenvlakken')) {
    rows.push(
      { colour: mapColours.water, label: t('legend.water') },
      { colour: mapColours.groen, label: t('legend.groen') },
      { colour: mapColours.verhard, label: t('legend.verhard') },
      { colour: mapColours.bebouwd, label: t('legend.bebouwd') },
    );
  }
  const swatches: [string, string][] = [
    ['panden', mapColours.building],
    ['wegvakken', mapColours.mainRoad],
    ['buurten', mapColours.buurtLine],
    ['wijken', mapColours.wijkLine],
    ['gemeenten', mapColours.gemeenteLine],
    ['voorzieningen', mapColours.voorziening],
    ['bomen', mapColours.tree],
    ['beheerobjecten', mapColours.asset],
    ['sensoren', mapColours.sensorMid],
  ];
  for (const [id, colour] of swatches) {
    if (visible.has(id)) {
      rows.push({ colour, label: t(`layer.${id}` as MessageKey) });
    }
  }
  return rows;
}

/** Renders `#legenda` for the current colouring: title, unit, source and classification, then the rows. */
export function renderLegend(container: HTMLElement, app: App, catalog: Catalog, visible: ReadonlySet<string>, choice: ColourChoice | null, paint: ColourPaint | null): void {
  const t = app.t.bind(app);
  const body: (HTMLElement | null)[] = [h('h2', { class: 'utrecht-heading-2', id: 'legenda-titel' }, t('legend.title'))];
  if (choice && paint) {
    const indicator = choice.target === 'panden' ? undefined : catalog.indicator(choice.key);
    const name = indicator?.naam ?? t(`colour.attr.${choice.key}` as MessageKey);
    const unit = indicator?.eenheid ?? t(buildingAttributes[choice.key]?.unit ?? 'legend.metres');
    const source: DatasetInfo | undefined = indicator ? catalog.dataset(indicator.bronDataset) : catalog.datasetsOf('panden')[0];
    const target = choice.target === 'buurten' ? t('layer.buurten') : t('layer.panden');
    body.push(
      h('p', { class: 'legenda-naam' }, h('strong', {}, name), ` (${target})`),
      h(
        'dl',
        { class: 'legenda-bron' },
        h('dt', {}, t('legend.unit')),
        h('dd', {}, unit),
        h('dt', {}, t('legend.source')),
        h('dd', {}, source?.titel ?? indicator?.bronDataset ?? '—'),
        h('dt', {}, t('legend.classification')),
        h('dd', {}, source ? t(`classification.${source.classificatie}` as MessageKey) : '—'),
      ),
    );
    body.push(rowsList(classRows(paint.classes, app.language, t, choice.key === 'bouwjaar')));
  } else {
    body.push(h('p', {}, t('legend.default')));
    body.push(rowsList(defaultRows(visible, t)));
    const sources = [...new Set([...visible].flatMap((id) => catalog.datasetsOf(id)))];
    if (sources.length > 0) {
      body.push(
        h(
          'dl',
          { class: 'legenda-bron' },
          sources.flatMap((d) => [
            h('dt', {}, t('legend.source')),
            h('dd', {}, `${d.titel} — ${t('legend.classification').toLowerCase()}: ${t(`classification.${d.classificatie}` as MessageKey)}`),
          ]),
        ),
      );
    }
  }
  replaceChildren(container, body);
  paintSwatches(container);
}

function rowsList(rows: readonly LegendRow[]): HTMLElement {
  return h(
    'ul',
    { class: 'legenda-klassen' },
    rows.map((row) => h('li', {}, h('span', { class: 'legenda-staal', 'data-kleur': row.colour, 'aria-hidden': 'true' }), row.label)),
  );
}

/**
 * Paints the swatches: the colour is set through the CSSOM (element.style), which the Content-Security-Policy
 * allows, unlike a style attribute in markup.
 */
export function paintSwatches(container: HTMLElement): void {
  for (const swatch of container.querySelectorAll<HTMLElement>('[data-kleur]')) {
    swatch.style.backgroundColor = swatch.dataset['kleur'] ?? '';
  }
}
