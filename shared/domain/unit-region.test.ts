import { describe, expect, it } from 'vitest';
import { getProgram } from './programs/index.ts';
import { unitOfRegion, unitRegionMismatch } from './unit-region.ts';
import { usccCheckChar } from './validation/uscc.ts';

const liaoning = getProgram('liaoning-cso');
const anhui = getProgram('anhui-std-director');
/** A valid credit code registered in the given region. */
const codeIn = (region: string) => {
  const first17 = `91${region}MA0XYW122`;
  return first17 + usccCheckChar(first17);
};

describe('the credit code region against the reporting unit', () => {
  it('accepts a code registered in the chosen city or one of its districts', () => {
    expect(unitRegionMismatch(liaoning, '91210100MA0XYW122Q', '210100')).toBeUndefined();
    expect(unitRegionMismatch(liaoning, codeIn('210204'), '210200')).toBeUndefined();
    expect(unitRegionMismatch(anhui, '91340100MA0XYW122U', '340100')).toBeUndefined();
  });

  it('warns, naming both, when the code was registered in another city', () => {
    const finding = unitRegionMismatch(liaoning, codeIn('210204'), '210100');
    expect(finding?.code).toBe('unit_region_mismatch');
    expect(finding?.message.zh).toContain('大连市');
    expect(finding?.message.zh).toContain('沈阳市');
    expect(finding?.message.zh).toContain('210204');
    expect(finding?.message.en).toContain('Dalian');
  });

  it('warns for a code from another province', () => {
    const finding = unitRegionMismatch(liaoning, '91350203M0001QKT19', '210100');
    expect(finding?.message.zh).toContain('350203');
  });

  it('gives a county under the province its own code, not the city around it', () => {
    expect(unitOfRegion(anhui, '341882')?.code).toBe('341882');
    expect(unitOfRegion(anhui, '341802')?.code).toBe('341800');
    expect(unitOfRegion(anhui, '340826')?.code).toBe('340826');
    expect(unitOfRegion(anhui, '340811')?.code).toBe('340800');
    expect(unitRegionMismatch(anhui, '91341882MA0XYW1225', '341882')).toBeUndefined();
    expect(unitRegionMismatch(anhui, '91341882MA0XYW1225', '341800')?.message.zh).toContain('广德市');
    expect(unitRegionMismatch(anhui, codeIn('341802'), '341882')?.message.zh).toContain('宣城市');
  });

  it('does not judge the unit with an internal code, nor a code that names no city', () => {
    expect(unitRegionMismatch(liaoning, codeIn('210204'), '21-SF')).toBeUndefined();
    expect(unitRegionMismatch(liaoning, codeIn('210000'), '210100')).toBeUndefined();
    expect(unitRegionMismatch(liaoning, codeIn('100000'), '210100')).toBeUndefined();
  });
});
