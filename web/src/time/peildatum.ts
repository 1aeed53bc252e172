import type { App } from '../app';
import { tr } from '../dashboards/messages';
import { announce, h } from '../dom';
import { formatDate } from '../i18n';

/** An ISO date (yyyy-mm-dd) that is a real calendar date. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return false;
  }
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * The reference date a slider value stands for: `undefined` (today, the platform's default) for an empty value or
 * today itself, else the date clamped into [`min`, `max`].
 */
export function peildatumOf(value: string, today: string, min: string, max: string): string | undefined {
  if (!isIsoDate(value) || value === today) {
    return undefined;
  }
  return value < min ? min : value > max ? max : value;
}

/** The earliest date the slider offers: ten years back, the span of the demo city's history and of CBS area statistics kept. */
export function earliestDate(today: string): string {
  return `${Number(today.slice(0, 4)) - 10}${today.slice(4)}`;
}

/**
 * `input#peildatum` (a date field) with a "today" button: choosing a date shows the twin, its tiles, lineage and
 * dashboards as of that date through `app.setPeildatum`.
 */
export function mountPeildatum(container: HTMLElement, app: App, today = new Date().toISOString().slice(0, 10)): void {
  const min = earliestDate(today);
  const label = h('label', { class: 'utrecht-form-label', for: 'peildatum' });
  const hint = h('p', { id: 'peildatum-uitleg', class: 'utrecht-form-field-description' });
  const input = h('input', {
    id: 'peildatum', name: 'peildatum', type: 'date', class: 'utrecht-textbox utrecht-textbox--html-input',
    min, max: today, value: app.peildatum ?? today, 'aria-describedby': 'peildatum-uitleg',
  });
  const reset = h('button', { type: 'button', class: 'utrecht-button utrecht-button--subtle' });
  container.append(h('div', { class: 'utrecht-form-field peildatum' }, label, hint, input, reset));

  const render = () => {
    label.textContent = tr(app.language, 'time.label');
    hint.textContent = tr(app.language, 'time.hint');
    reset.textContent = tr(app.language, 'time.today');
  };
  const choose = (value: string) => {
    const peildatum = peildatumOf(value, today, min, today);
    app.setPeildatum(peildatum);
    announce(tr(app.language, 'time.shown', { date: formatDate(app.language, peildatum ?? today) }));
  };
  input.addEventListener('change', () => choose(input.value));
  reset.addEventListener('click', () => {
    input.value = today;
    choose(today);
  });
  app.on('peildatum', () => {
    input.value = app.peildatum ?? today;
  });
  app.on('language', render);
  render();
}
