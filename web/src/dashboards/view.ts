import type { App } from '../app';
import { problemOf } from '../api';
import { announce, h, replaceChildren } from '../dom';
import { formatDate, formatNumber, type MessageKey } from '../i18n';
import type { View } from '../router';
import { localMessages, tr, type LocalKey } from './messages';
import { barsOf, byTheme, dashboardPath, exportFileName, levelOf, type Bar, type Dashboard, type DashboardId, type Figure } from './model';

const svgNs = 'http://www.w3.org/2000/svg';

/** Layout of a bar chart, in SVG user units: the label column, the bar area and one row per bar. */
const chart = { labelWidth: 190, barWidth: 300, valueWidth: 80, rowHeight: 22 } as const;

function svg(tag: string, attributes: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  element.append(...children);
  return element;
}

/**
 * A horizontal bar chart of `bars` as SVG: `role="img"` with the chart's title as its accessible name; the numbers
 * are in the table that follows it (the chart's text alternative), so screen readers are not read every bar twice.
 */
export function barChart(bars: readonly Bar[], title: string, format: (value: number) => string, suppressed: string): SVGElement {
  const height = Math.max(1, bars.length) * chart.rowHeight;
  const width = chart.labelWidth + chart.barWidth + chart.valueWidth;
  const rows = bars.map((bar, k) => {
    const y = k * chart.rowHeight;
    return svg(
      'g',
      { class: 'dashboard-bar', 'aria-hidden': 'true' },
      svg('text', { x: chart.labelWidth - 6, y: y + 15, 'text-anchor': 'end' }, bar.label),
      svg('rect', { x: chart.labelWidth, y: y + 3, width: Math.round(bar.share * chart.barWidth * 10) / 10, height: chart.rowHeight - 6, class: 'dashboard-balk' }),
      svg('text', { x: chart.labelWidth + bar.share * chart.barWidth + 6, y: y + 15 }, bar.value === null ? suppressed : format(bar.value)),
    );
  });
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'dashboard-grafiek', width: '100%' }, svg('title', {}, title), ...rows);
}

/** The view of one dashboard at `#/dashboards/{id}`: per theme, per figure a chart, its table and its source. */
export function dashboardView(id: DashboardId): View {
  return {
    route: `#/dashboards/${id}`,
    titleKey: `nav.${id}` as MessageKey,
    render(container: HTMLElement, app: App) {
      const heading = h('h1', { class: 'utrecht-heading-1', tabindex: -1 }, app.t(`nav.${id}` as MessageKey));
      const status = h('p', { class: 'dashboard-status', role: 'status' });
      const exports = h('div', { class: 'dashboard-export' });
      const body = h('div', { class: 'dashboard-inhoud' });
      container.append(heading, status, exports, body);
      let shown: Dashboard | null = null;
      let request = 0;

      const t = (key: LocalKey, params?: Record<string, string | number>) => tr(app.language, key, params);
      const number = (value: number) => formatNumber(app.language, value, 1);

      const renderDashboard = (dashboard: Dashboard) => {
        heading.textContent = app.t(`nav.${id}` as MessageKey);
        status.textContent = t('dashboard.asof', { date: formatDate(app.language, dashboard.peildatum) });
        replaceChildren(
          exports,
          (['csv', 'geojson'] as const).map((format) =>
            h('button', { type: 'button', class: 'utrecht-button utrecht-button--secondary-action', 'data-formaat': format }, t(`dashboard.export.${format}`)),
          ),
        );
        replaceChildren(
          body,
          byTheme(dashboard.kengetallen).map(([theme, figures]) =>
            h('section', { class: 'dashboard-thema', 'data-thema': theme },
              h('h2', { class: 'utrecht-heading-2' }, themeName(theme)),
              figures.map((figure) => renderFigure(dashboard, figure)),
            ),
          ),
        );
      };

      const themeName = (theme: string) => {
        const key = `theme.${theme}` as LocalKey;
        // A theme the UI has no name for yet is shown by its API name rather than hidden.
        return key in localMessages.nl ? t(key) : theme;
      };

      const renderFigure = (dashboard: Dashboard, figure: Figure) => {
        const bars = barsOf(dashboard, figure);
        const level = levelOf(dashboard, figure);
        const levelName = t(level === 'wijk' ? 'level.wijk' : 'level.buurt');
        const all = barsOf(dashboard, figure, Number.MAX_SAFE_INTEGER);
        const title = t('dashboard.chart', { name: figure.naam, unit: figure.eenheid, count: bars.length });
        return h('figure', { class: 'dashboard-kengetal', 'data-kengetal': figure.code },
          h('h3', { class: 'utrecht-heading-3' }, figure.naam),
          barChart(bars, title, number, t('dashboard.suppressed')),
          h('figcaption', {},
            t('dashboard.source', { sources: figure.bronnen.join(', ') || '—', classification: app.t(`classification.${figure.classificatie}` as MessageKey) }),
            figure.beschermd ? ` ${t('dashboard.protected')}` : '',
          ),
          h('table', { class: 'utrecht-table dashboard-tabel' },
            h('caption', { class: 'utrecht-table__caption' }, t('dashboard.table', { name: figure.naam, unit: figure.eenheid, level: levelName })),
            h('thead', { class: 'utrecht-table__header' },
              h('tr', { class: 'utrecht-table__row' },
                h('th', { scope: 'col', class: 'utrecht-table__header-cell' }, t('dashboard.area')),
                h('th', { scope: 'col', class: 'utrecht-table__header-cell utrecht-table__header-cell--numeric' }, `${t('dashboard.value')} (${figure.eenheid})`),
              ),
            ),
            h('tbody', { class: 'utrecht-table__body' },
              all.map((bar) =>
                h('tr', { class: 'utrecht-table__row' },
                  h('th', { scope: 'row', class: 'utrecht-table__header-cell' }, bar.label),
                  h('td', { class: 'utrecht-table__cell utrecht-table__cell--numeric' }, bar.value === null ? t('dashboard.suppressed') : number(bar.value)),
                ),
              ),
            ),
          ),
        );
      };

      const load = async () => {
        const mine = ++request;
        status.textContent = t('dashboard.loading');
        try {
          const dashboard = await app.api.get<Dashboard>(dashboardPath(id, app.peildatum));
          if (mine === request) {
            shown = dashboard;
            renderDashboard(dashboard);
          }
        } catch (error) {
          if (mine === request) {
            status.textContent = t('dashboard.failed', { detail: (error as Error).message });
          }
        }
      };

      // An export is fetched with the caller's credentials (a plain link would not carry them) and saved as a file.
      exports.addEventListener('click', (event) => {
        const format = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-formaat]')?.dataset['formaat'] as 'csv' | 'geojson' | undefined;
        if (!format || !shown) {
          return;
        }
        const dashboard = shown;
        void (async () => {
          const response = await fetch(dashboardPath(id, dashboard.peildatum, format), { headers: app.api.headers(), credentials: 'omit' });
          if (!response.ok) {
            status.textContent = t('dashboard.failed', { detail: (await problemOf(response)).message });
            return;
          }
          const file = exportFileName(dashboard, format);
          const link = h('a', { href: URL.createObjectURL(await response.blob()), download: file });
          link.click();
          URL.revokeObjectURL(link.href);
          announce(t('dashboard.export.done', { file }));
        })();
      });

      app.on('peildatum', () => void load());
      app.on('role', () => void load());
      app.on('language', () => shown && renderDashboard(shown));
      return load();
    },
  };
}
