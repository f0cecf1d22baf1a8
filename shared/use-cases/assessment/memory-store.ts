// An in-memory AssessmentStore with the DynamoDB adapter's conditions (first decision wins,
// grading only while the unit is open, a unit ends once), for the unit tests of the use cases.
import { ConflictError } from '../../domain/errors.ts';
import type {
  AssessmentLink,
  AssessmentPage,
  AssessmentStore,
  ProgramAssessment,
  UnitAssessment,
} from './ports.ts';

const copy = <T>(value: T): T => structuredClone(value);

export interface MemoryAssessmentStore extends AssessmentStore {
  programs: Map<string, ProgramAssessment>;
  units: Map<string, UnitAssessment>;
  pages: Map<string, AssessmentPage>;
  links: Map<string, AssessmentLink>;
}

export function memoryAssessmentStore(
  seed: {
    /** Units with pool members per programme (what the counters say). */
    poolUnits?: Record<string, string[]>;
    /** Filing ids per `programId#unit` (what the index says). */
    unitFilings?: Record<string, string[]>;
  } = {},
): MemoryAssessmentStore {
  const programs = new Map<string, ProgramAssessment>();
  const units = new Map<string, UnitAssessment>();
  const pages = new Map<string, AssessmentPage>();
  const links = new Map<string, AssessmentLink>();
  const pk = (p: string, y: string) => `${p}#${y}`;
  const uk = (p: string, y: string, u: string) => `${p}#${y}#${u}`;
  const gk = (p: string, y: string, u: string, n: number) => `${p}#${y}#${u}#${n}`;

  function unitOrThrow(p: string, y: string, u: string): UnitAssessment {
    const unit = units.get(uk(p, y, u));
    if (!unit) throw new Error('no such unit');
    return unit;
  }

  return {
    programs,
    units,
    pages,
    links,
    async openProgram({ programId, year, startedAt }) {
      const key = pk(programId, year);
      if (!programs.has(key)) programs.set(key, { programId, year, status: 'open', startedAt });
      return copy(programs.get(key) as ProgramAssessment);
    },
    async getProgram(programId, year) {
      const found = programs.get(pk(programId, year));
      return found ? copy(found) : undefined;
    },
    async setProgramUnits(programId, year, list) {
      const program = programs.get(pk(programId, year));
      if (!program) throw new Error('no such programme year');
      program.units ??= [...list];
      return [...program.units];
    },
    async setProgramWait(programId, year, taskToken) {
      const program = programs.get(pk(programId, year));
      if (!program) throw new Error('no such programme year');
      program.taskToken = taskToken;
    },
    async closeProgram(programId, year, outcome) {
      const program = programs.get(pk(programId, year));
      if (!program) throw new Error('no such programme year');
      program.status = outcome.status;
      program.closedAt = outcome.at;
      if (outcome.summary) program.summary = copy(outcome.summary);
      if (outcome.error) program.error = outcome.error;
      delete program.taskToken;
    },
    async unitsWithPoolMembers(programId) {
      return [...(seed.poolUnits?.[programId] ?? [])];
    },
    async unitFilingIds(programId, unit) {
      return [...(seed.unitFilings?.[`${programId}#${unit}`] ?? [])];
    },
    async getUnit(programId, year, unit) {
      const found = units.get(uk(programId, year, unit));
      return found ? copy(found) : undefined;
    },
    async listUnits(programId, year) {
      return [...units.values()].filter((u) => u.programId === programId && u.year === year).map(copy);
    },
    async createUnit(unit, list) {
      for (const page of list) pages.set(gk(unit.programId, unit.year, unit.unit, page.page), copy(page));
      const key = uk(unit.programId, unit.year, unit.unit);
      if (!units.has(key)) units.set(key, { ...copy(unit), decidedPages: [] });
      return copy(units.get(key) as UnitAssessment);
    },
    async setUnitWait(programId, year, unit, wait) {
      const stored = unitOrThrow(programId, year, unit);
      Object.assign(stored, wait);
      return copy(stored);
    },
    async getPage(programId, year, unit, n) {
      const found = pages.get(gk(programId, year, unit, n));
      return found ? copy(found) : undefined;
    },
    async decidePage(programId, year, unit, n, decision) {
      const page = pages.get(gk(programId, year, unit, n));
      const stored = unitOrThrow(programId, year, unit);
      if (!page || page.decidedAt) {
        throw new ConflictError('already_decided', { zh: '该页考核结果已提交', en: 'graded already' });
      }
      if (stored.status !== 'open') throw new ConflictError('closed', { zh: '本年度考核已结束', en: 'over' });
      page.grades = copy(decision.grades);
      page.decidedAt = decision.at;
      page.decidedBy = copy(decision.by);
      stored.pagesDecided++;
      stored.decidedPages = [...(stored.decidedPages ?? []), n].sort((a, b) => a - b);
      return copy(stored);
    },
    async startApplying(programId, year, unit) {
      const stored = unitOrThrow(programId, year, unit);
      if (stored.status === 'open' && stored.pagesDecided >= stored.pageCount) stored.status = 'applying';
      else if (stored.status !== 'applying')
        throw new ConflictError('closed', { zh: '考核未完成评定', en: 'not graded' });
    },
    async recordOutcomes(programId, year, unit, n, outcomes) {
      const page = pages.get(gk(programId, year, unit, n));
      if (!page?.decidedAt) throw new Error('page not graded');
      page.outcomes = copy(outcomes);
    },
    async finishUnit(programId, year, unit, outcome, onlyIfUngraded = false) {
      const key = uk(programId, year, unit);
      const stored = units.get(key);
      if (onlyIfUngraded) {
        if (stored?.status !== 'open' || stored.pagesDecided >= stored.pageCount) return false;
      } else if (stored && stored.status !== 'open' && stored.status !== 'applying') {
        return false;
      }
      const base: UnitAssessment = stored ?? {
        programId,
        year,
        unit,
        status: 'open',
        members: 0,
        pageSize: 0,
        pageCount: 0,
        pagesDecided: 0,
        openedAt: outcome.at,
      };
      units.set(key, {
        ...base,
        status: outcome.status,
        finishedAt: outcome.at,
        ...(outcome.results ? { results: copy(outcome.results) } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      });
      return true;
    },
    async putLink(link) {
      if (links.has(link.tokenHash)) throw new Error('link exists');
      links.set(link.tokenHash, copy(link));
    },
    async getLink(tokenHash) {
      const found = links.get(tokenHash);
      return found ? copy(found) : undefined;
    },
  };
}
