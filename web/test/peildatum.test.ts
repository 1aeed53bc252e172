import { describe, expect, it } from 'vitest';
import { earliestDate, isIsoDate, peildatumOf } from '../src/time/peildatum';

describe('peildatum', () => {
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-3-1')).toBe(false);
  });

  it('means today (no reference date) for today or an empty field, and clamps into the offered range', () => {
    expect(peildatumOf('', '2025-03-01', '2015-03-01', '2025-03-01')).toBeUndefined();
    expect(peildatumOf('2025-03-01', '2025-03-01', '2015-03-01', '2025-03-01')).toBeUndefined();
    expect(peildatumOf('2024-06-01', '2025-03-01', '2015-03-01', '2025-03-01')).toBe('2024-06-01');
    expect(peildatumOf('1990-01-01', '2025-03-01', '2015-03-01', '2025-03-01')).toBe('2015-03-01');
    expect(peildatumOf('2030-01-01', '2025-03-01', '2015-03-01', '2025-03-01')).toBe('2025-03-01');
  });

  it('offers ten years back', () => {
    expect(earliestDate('2025-03-01')).toBe('2015-03-01');
  });
});
