import { describe, expect, it } from 'vitest';
import { pandFeatureId, pandIdOf, tileFeatureId, unmappedFrom } from '../src/pandids';

describe('integer feature ids of panden (docs/tiles.md)', () => {
  it('maps a BAG pand id to municipality × 10¹⁰ + serial and back, exactly, also for the demo city\'s municipality 9999', () => {
    for (const id of ['9999100000000001', '9999109999999999', '0505100000012345', '0000100000000000', '1999104294967296']) {
      const integer = pandFeatureId(id);
      expect(integer).toBeDefined();
      expect(Number.isSafeInteger(integer)).toBe(true);
      expect(integer).toBeLessThan(unmappedFrom);
      expect(pandIdOf(integer!)).toBe(id);
    }
    expect(pandFeatureId('9999100000000001')).toBe(99_990_000_000_001);
    expect(pandFeatureId('0505100000012345')).toBe(5_050_000_012_345);
  });

  it('has no integer for ids of another form', () => {
    for (const id of ['9999200000000001', '999910000000001', '99991000000000012', 'pand-1', '99991O0000000001', '']) {
      expect(pandFeatureId(id)).toBeUndefined();
    }
  });

  it('reads a feature\'s string id from its property, else from an integer that stands for a BAG id', () => {
    expect(tileFeatureId({ id: 99_990_000_000_001, properties: {} })).toBe('9999100000000001');
    expect(tileFeatureId({ id: 99_990_000_000_001, properties: { id: '9999100000000001' } })).toBe('9999100000000001');
    expect(tileFeatureId({ id: unmappedFrom + 7, properties: { id: 'nieuw-pand' } })).toBe('nieuw-pand');
    expect(tileFeatureId({ id: unmappedFrom + 7, properties: {} })).toBeUndefined();
    expect(tileFeatureId({ id: 'BU99990101', properties: { id: 'BU99990101' } })).toBe('BU99990101');
    expect(tileFeatureId({ properties: null })).toBeUndefined();
  });
});
