// Where the enterprise was registered against where it files: positions 3–8 of the credit code are the registering
// authority's GB/T 2260 region code, so positions 3–6 name the city. A filing sent to another city's bureau is often
// a slip in the unit list, sometimes a branch or a move; the reviewer judges, so a mismatch is a warning.
import type { Program, ReportingUnit } from './programs/program.ts';
import type { Finding } from './validation/result.ts';

/** Codes registered by a province-wide or national authority, which name no city. */
const NO_CITY = /^\d{2}0000$/;

/** The unit whose area the region code lies in: a county unit by its own code, a city unit by its first four digits. */
export function unitOfRegion(program: Program, region: string): ReportingUnit | undefined {
  const official = program.reportingUnits.filter((u) => u.official);
  // A county reporting straight to the province (省直管县) takes its code out of the city around it.
  return (
    official.find((u) => u.kind === 'county' && u.code === region) ??
    official.find((u) => u.kind !== 'county' && u.code.slice(0, 4) === region.slice(0, 4))
  );
}

/**
 * The warning for a credit code registered outside the chosen unit's area; none where the unit has no official code
 * (沈抚示范区's code is internal), where the code names no city, or where the code is not well formed.
 */
export function unitRegionMismatch(program: Program, uscc: string, unitCode: string): Finding | undefined {
  const unit = program.reportingUnits.find((u) => u.code === unitCode);
  const region = uscc.slice(2, 8);
  if (!unit?.official || !/^\d{6}$/.test(region) || NO_CITY.test(region)) return undefined;
  const home = unitOfRegion(program, region);
  if (home?.code === unit.code) return undefined;
  const where = home ? home.name : { zh: `行政区划 ${region}`, en: `region ${region}` };
  return {
    code: 'unit_region_mismatch',
    message: {
      zh: `统一社会信用代码显示企业登记于${where.zh}（区划码 ${region}），与所选备案单位${unit.name.zh}不一致，请核对备案单位或登记地`,
      en: `the credit code shows the enterprise registered in ${where.en} (region ${region}), not in the chosen unit ${unit.name.en}; check the unit or the registration`,
    },
  };
}
