import type { App } from './app';
import { dashboardView } from './dashboards/view';
import { h } from './dom';
import { mountLive } from './live/view';
import { registerView } from './router';
import { scenarioView } from './scenario/list';
import { scenarioResultsView } from './scenario/results';
import type { WebConfig } from './twinmap';
import { mountPeildatum } from './time/peildatum';

/** The dashboards' routes; registered before the router starts. */
export function registerDashboardViews(): void {
  registerView(dashboardView('armoede'));
  registerView(dashboardView('binnenstad'));
  registerView(scenarioView());
}

/** The scenario results view (`#/scenarios/resultaat`); its maps use the deployment's basemap as the twin map does. */
export function registerScenarioResultsView(config: WebConfig): void {
  registerView(scenarioResultsView(config));
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
