import { describe, expect, it } from 'vitest';
import type { App } from '../src/app';
import { lazyView, type View } from '../src/router';

// The environment is node: the views under test only record what they were given, so no DOM is needed.
const container = {} as HTMLElement;
const app = {} as App;

describe('a lazy view', () => {
  it('loads its code when first rendered, renders the loaded view, and passes every later showing on to it', async () => {
    const calls: string[] = [];
    let loads = 0;
    const view = lazyView('#/dashboards/armoede', 'nav.armoede', async () => {
      loads++;
      return {
        route: '#/dashboards/armoede',
        titleKey: 'nav.armoede',
        render: (c, a) => void calls.push(`render ${c === container && a === app}`),
        shown: () => void calls.push('shown'),
      } satisfies View;
    });

    expect(view.route).toBe('#/dashboards/armoede');
    expect(view.titleKey).toBe('nav.armoede');
    view.shown?.();
    expect(loads).toBe(0);
    expect(calls).toEqual([]);

    await view.render(container, app);
    view.shown?.();
    expect(loads).toBe(1);
    expect(calls).toEqual(['render true', 'shown']);
  });

  it('refuses a loaded view of another route, so the navigation never names a view that is not there', async () => {
    const view = lazyView('#/scenarios', 'nav.scenarios', async () => ({ route: '#/scenarios/resultaat', titleKey: 'nav.scenarioresultaat', render: () => undefined }));

    await expect(view.render(container, app)).rejects.toThrow('#/scenarios/resultaat');
  });
});
