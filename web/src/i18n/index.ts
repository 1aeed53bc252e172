import { en } from './en';
import { nl, type MessageKey } from './nl';

export type { MessageKey } from './nl';

/** The UI's languages; Dutch first. */
export type Language = 'nl' | 'en';

export const languages: readonly Language[] = ['nl', 'en'];

/** The message table of each language. */
export const messages: Record<Language, Record<MessageKey, string>> = { nl, en };

/** The text of `key` in `language` with every `{name}` replaced by `params[name]`; an unknown name stays visible. */
export function format(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return fillPlaceholders(messages[language][key], params, (value) => formatValue(language, value));
}

/** `template` with every `{name}` replaced by `show(params[name])`; an unknown name stays visible. */
export function fillPlaceholders(
  template: string,
  params: Record<string, string | number>,
  show: (value: string | number) => string = String,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? show(params[name]!) : whole));
}

/**
 * The translate function of a module's own message tables (the dashboards', the scenario editor's, the results
 * view's), kept beside the module so the shared tables stay as they are. Values are put in as given (`String`):
 * these modules format their numbers themselves.
 */
export function moduleTranslator<Key extends string>(
  tables: Record<Language, Record<Key, string>>,
): (language: Language, key: Key, params?: Record<string, string | number>) => string {
  return (language, key, params = {}) => fillPlaceholders(tables[language][key], params);
}

/**
 * A number in the language's notation (decimal comma in Dutch), at most `digits` decimals; without thousands
 * separators when `grouping` is false (years and codes in tables).
 */
export function formatNumber(language: Language, value: number, digits = 1, grouping = true): string {
  return new Intl.NumberFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: digits, useGrouping: grouping }).format(value);
}

/** A date (ISO 8601 text or Date) as the language writes it, e.g. "1 maart 2025". */
export function formatDate(language: Language, value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    return String(value);
  }
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(date);
}

/** The other language: what the language switch offers. */
export function otherLanguage(language: Language): Language {
  return language === 'nl' ? 'en' : 'nl';
}

function formatValue(language: Language, value: string | number): string {
  return typeof value === 'number' ? formatNumber(language, value) : value;
}
