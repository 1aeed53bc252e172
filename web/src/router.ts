import type { App } from './app';
import type { MessageKey } from './i18n';
import { defaultRoute } from './state';

/**
 * Views by hash route (`#/kaart`, `#/dashboards/armoede`, …). A view renders into its own `<section>` inside
 * `<main id="inhoud">` once, and is shown or hidden as the route changes, so the map keeps its state.
 */
export interface View {
  /** The hash route, e.g. `#/dashboards/armoede`. */
  readonly route: string;
  /** The message key of the view's title (navigation, document title). */
  readonly titleKey: MessageKey;
  /** Fills `container` the first time the view is shown. */
  render(container: HTMLElement, app: App): void | Promise<void>;
  /** Called each time the view is shown again (e.g. to resize the map). */
  shown?(): void;
}

const views: View[] = [];

/** Adds a view; modules (dashboards, …) call this before `startRouter`. */
export function registerView(view: View): void {
  if (views.some((v) => v.route === view.route)) {
    throw new Error(`A view for ${view.route} is registered already.`);
  }
  views.push(view);
}

/**
 * A view whose code is a chunk of its own, loaded when the view is first shown: the map's first view then neither
 * downloads nor compiles it (issue 5 item 10). `route` and `titleKey` are known up front for the navigation; the
 * loaded view must have the same.
 */
export function lazyView(route: string, titleKey: MessageKey, load: () => Promise<View>): View {
  let loaded: View | null = null;
  return {
    route,
    titleKey,
    async render(container, app) {
      const view = await load();
      if (view.route !== route || view.titleKey !== titleKey) {
        throw new Error(`The view loaded for ${route} is ${view.route} (${view.titleKey}), not ${route} (${titleKey}).`);
      }
      loaded = view;
      await view.render(container, app);
    },
    shown() {
      loaded?.shown?.();
    },
  };
}

export function registeredViews(): readonly View[] {
  return views;
}

/** The view of a hash route (its part before `?`); the default route's view for an empty hash. */
export function viewFor(route: string): View | undefined {
  return views.find((v) => v.route === (route || defaultRoute));
}

/** Shows the view of the current hash in `main`, rendering it on first use; again on every hash change. */
export function startRouter(main: HTMLElement, app: App, onChange: (view: View | undefined) => void): void {
  const sections = new Map<string, HTMLElement>();
  const show = async () => {
    const route = location.hash.split('?')[0] || defaultRoute;
    const view = viewFor(route);
    for (const [r, section] of sections) {
      section.hidden = r !== view?.route;
    }
    if (view && !sections.has(view.route)) {
      const section = document.createElement('section');
      section.className = 'tweeling-view';
      section.dataset['route'] = view.route;
      main.append(section);
      sections.set(view.route, section);
      await view.render(section, app);
    } else {
      view?.shown?.();
    }
    onChange(view);
  };
  window.addEventListener('hashchange', () => void show());
  void show();
}
