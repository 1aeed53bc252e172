import type { App } from './app';
import { h } from './dom';
import type { MessageKey } from './i18n';
import { mountLive } from './live/view';
import { lazyView, registerView } from './router';
import { resultsRoute } from './scenario/results-model';
import type { WebConfig } from './twinmap';
import { mountPeildatum } from './time/peildatum';

// The dashboards and the scenario views are chunks of their own, imported when first shown: the map's first view
// (the page's default) does not wait for their code, nor the scenario editor's mapbox-gl-draw (issue 5 item 10).

/** The dashboards' routes; registered before the router starts. */
export function registerDashboardViews(): void {
  for (const id of ['armoede', 'binnenstad'] as const) {
    registerView(lazyView(`#/dashboards/${id}`, `nav.${id}` as MessageKey, async () => (await import('./dashboards/view')).dashboardView(id)));
  }
  registerView(lazyView('#/scenarios', 'nav.scenarios', async () => (await import('./scenario/list')).scenarioView()));
}

/** The scenario results view (`#/scenarios/resultaat`); its maps use the deployment's basemap as the twin map does. */
export function registerScenarioResultsView(config: WebConfig): void {
  registerView(lazyView(resultsRoute, 'nav.scenarioresultaat', async () => (await import('./scenario/results')).scenarioResultsView(config)));
}

/**
 * The time slider in the page header (it applies to the map and the dashboards alike) and the live sensor panel as a
 * complementary landmark after the main content.
 */
export function mountTimeAndLive(app: App): void {
  const header = document.querySelector<HTMLElement>('.kop-acties') ?? document.body;
  const time = h('div', { class: 'kop-tijd' });
  header.prepend(time);
  mountPeildatum(time, app);
  const panel = h('aside', { class: 'live-paneel', 'aria-labelledby': 'live-titel' });
  document.getElementById('inhoud')?.after(panel);
  mountLive(panel, app);
}
