// An in-memory ReturnStore with the DynamoDB adapter's conditions (one answer per enterprise,
// answers only while the unit collects, one acknowledgement, a unit ends once), for the unit
// tests of the use cases.
import { ConflictError } from '../../domain/errors.ts';
import type {
  EnterpriseReturn,
  ProgramReturn,
  ReturnLink,
  ReturnStore,
  UnitReturn,
} from '../../ports/returns.ts';

const copy = <T>(value: T): T => structuredClone(value);

export interface MemoryReturnStore extends ReturnStore {
  programs: Map<string, ProgramReturn>;
  units: Map<string, UnitReturn>;
  enterprises: Map<string, EnterpriseReturn>;
  links: Map<string, ReturnLink>;
}

export function memoryReturnStore(
  seed: {
    /** Units with pool members per programme (what the counters say). */
    poolUnits?: Record<string, string[]>;
    /** Filing ids per `programId#unit` (what the index says). */
    unitFilings?: Record<string, string[]>;
  } = {},
): MemoryReturnStore {
  const programs = new Map<string, ProgramReturn>();
  const units = new Map<string, UnitReturn>();
  const enterprises = new Map<string, EnterpriseReturn>();
  const links = new Map<string, ReturnLink>();
  const pk = (p: string, y: string) => `${p}#${y}`;
  const uk = (p: string, y: string, u: string) => `${p}#${y}#${u}`;
  const ek = (p: string, y: string, u: string, n: number) => `${p}#${y}#${u}#${n}`;

  function unitOrThrow(p: string, y: string, u: string): UnitReturn {
    const unit = units.get(uk(p, y, u));
    if (!unit) throw new Error('no such unit');
    return unit;
  }

  return {
    programs,
    units,
    enterprises,
    links,
    async openProgram({ programId, year, startedAt }) {
      const key = pk(programId, year);
      if (!programs.has(key)) programs.set(key, { programId, year, status: 'open', startedAt });
      return copy(programs.get(key) as ProgramReturn);
    },
    async getProgram(p, y) {
      const found = programs.get(pk(p, y));
      return found ? copy(found) : undefined;
    },
    async setProgramUnits(p, y, list) {
      const program = programs.get(pk(p, y));
      if (!program) throw new Error('no such year');
      program.units ??= [...list];
      return [...program.units];
    },
    async setProgramWait(p, y, taskToken) {
      const program = programs.get(pk(p, y));
      if (!program) throw new Error('no such year');
      program.taskToken = taskToken;
    },
    async closeProgram(p, y, outcome) {
      const program = programs.get(pk(p, y));
      if (!program) throw new Error('no such year');
      program.status = outcome.status;
      program.closedAt = outcome.at;
      if (outcome.error) program.error = outcome.error;
      delete program.taskToken;
    },
    async unitsWithPoolMembers(p) {
      return [...(seed.poolUnits?.[p] ?? [])].sort();
    },
    async unitFilingIds(p, u) {
      return [...(seed.unitFilings?.[`${p}#${u}`] ?? [])];
    },
    async getUnit(p, y, u) {
      const found = units.get(uk(p, y, u));
      return found ? copy(found) : undefined;
    },
    async listUnits(p, y) {
      return [...units.values()]
        .filter((u) => u.programId === p && u.year === y)
        .sort((a, b) => a.unit.localeCompare(b.unit))
        .map(copy);
    },
    async createUnit(unit, list) {
      for (const e of list) enterprises.set(ek(e.programId, e.year, e.unit, e.seq), copy(e));
      const key = uk(unit.programId, unit.year, unit.unit);
      if (!units.has(key)) units.set(key, copy(unit));
      return copy(units.get(key) as UnitReturn);
    },
    async enterpriseRange(p, y, u, from, limit) {
      const found: EnterpriseReturn[] = [];
      for (let n = from; n < from + limit; n++) {
        const e = enterprises.get(ek(p, y, u, n));
        if (e) found.push(copy(e));
      }
      return found;
    },
    async getEnterprise(p, y, u, n) {
      const found = enterprises.get(ek(p, y, u, n));
      return found ? copy(found) : undefined;
    },
    async markSent(p, y, u, n, sent) {
      const e = enterprises.get(ek(p, y, u, n));
      if (!e) throw new Error('no such enterprise');
      if (sent.kind === 'notify') e.notifiedAt = sent.at;
      else e.remindedAt = sent.at;
    },
    async setUnitWait(p, y, u, wait) {
      const unit = unitOrThrow(p, y, u);
      unit.taskToken = wait.taskToken;
      unit.escalated = wait.escalated;
      return copy(unit);
    },
    async answer(p, y, u, n, answer) {
      const e = enterprises.get(ek(p, y, u, n));
      const unit = unitOrThrow(p, y, u);
      if (!e || e.answeredAt) {
        throw new ConflictError('already_answered', { zh: '该企业已提交年度报告', en: 'answered already' });
      }
      if (unit.status !== 'collecting') {
        throw new ConflictError('closed', { zh: '年度报告已截止', en: 'the annual return is closed' });
      }
      e.answers = copy(answer.answers);
      e.answeredAt = answer.at;
      unit.answered++;
      return copy(unit);
    },
    async closeCollection(p, y, u, results) {
      const unit = unitOrThrow(p, y, u);
      if (unit.status !== 'collecting') return false;
      unit.status = 'reviewing';
      unit.results = copy(results);
      return true;
    },
    async acknowledge(p, y, u, ack) {
      const unit = unitOrThrow(p, y, u);
      if (unit.status !== 'reviewing') {
        throw new ConflictError('already_acknowledged', { zh: '该汇总已确认', en: 'acknowledged already' });
      }
      unit.status = 'applying';
      unit.acknowledgedAt = ack.at;
      unit.acknowledgedBy = copy(ack.by);
      return copy(unit);
    },
    async recordOutcomes(p, y, u, outcomes) {
      const unit = unitOrThrow(p, y, u);
      unit.outcomes = { ...unit.outcomes, ...outcomes };
    },
    async finishUnit(p, y, u, outcome, onlyIfReviewing = false) {
      const key = uk(p, y, u);
      const unit = units.get(key);
      if (
        onlyIfReviewing
          ? unit?.status !== 'reviewing'
          : unit && (unit.status === 'done' || unit.status === 'failed')
      ) {
        return false;
      }
      const ended: UnitReturn = unit ?? {
        programId: p,
        year: y,
        unit: u,
        status: 'collecting',
        openedAt: outcome.at,
        deadline: outcome.at,
        enterprises: 0,
        members: 0,
        answered: 0,
        unreachable: [],
      };
      ended.status = outcome.status;
      ended.finishedAt = outcome.at;
      if (outcome.error) ended.error = outcome.error;
      units.set(key, ended);
      return true;
    },
    async putLink(link) {
      if (links.has(link.tokenHash)) throw new Error('link exists');
      links.set(link.tokenHash, copy(link));
    },
    async getLink(hash) {
      const found = links.get(hash);
      return found ? copy(found) : undefined;
    },
  };
}
