// The ReturnStore contract, run against the DynamoDB adapter (integration suite) and the
// in-memory store the use-case tests use (unit suite), so the fake cannot drift from the real
// thing: a year is opened once, a unit is created once, enterprises come back by number range,
// an enterprise answers once and only while the unit collects, the city acknowledges once,
// removal outcomes add up, a unit ends once, links round-trip.
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import type { EnterpriseReturn, ReturnStore, UnitReturn } from '#shared/ports/returns.ts';
import { unitResults } from '#shared/use-cases/returns/answers.ts';

let seq = 0;

export function returnStoreContract(name: string, make: () => Promise<ReturnStore> | ReturnStore) {
  const P = 'liaoning-cso';
  const fresh = () => {
    seq++;
    return { year: String(3000 + seq), unit: '210100' };
  };
  const unitOf = (year: string, unit: string, enterprises: number): UnitReturn => ({
    programId: P,
    year,
    unit,
    status: 'collecting',
    openedAt: '2026-11-01T00:00:00.000Z',
    deadline: '2026-11-22T00:00:00.000Z',
    enterprises,
    members: enterprises,
    answered: 0,
    unreachable: [],
  });
  const enterprise = (year: string, unit: string, n: number): EnterpriseReturn => ({
    programId: P,
    year,
    unit,
    seq: n,
    uscc: `USCC${n}`,
    name: `企业${n}`,
    recipients: [`contact${n}@example.cn`],
    fallback: false,
    members: [{ filingId: `F${n}`, name: '张*', role: 'cso', position: '副总经理' }],
  });
  const conflict = async (p: Promise<unknown>, code: string) => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe(code);
  };

  describe(`ReturnStore contract (${name})`, () => {
    it('opens a year once and keeps the first unit list', async () => {
      const store = await make();
      const { year } = fresh();
      const first = await store.openProgram({ programId: P, year, startedAt: '2026-11-01T00:00:00.000Z' });
      const again = await store.openProgram({ programId: P, year, startedAt: '2027-01-01T00:00:00.000Z' });
      expect(again).toEqual(first);
      expect(await store.setProgramUnits(P, year, ['210100', '210200'])).toEqual(['210100', '210200']);
      expect(await store.setProgramUnits(P, year, ['210300'])).toEqual(['210100', '210200']);
      await store.closeProgram(P, year, { status: 'closed', at: '2026-12-01T00:00:00.000Z' });
      expect(await store.getProgram(P, year)).toMatchObject({
        status: 'closed',
        closedAt: '2026-12-01T00:00:00.000Z',
      });
    });

    it('creates a unit once; enterprises come back by number range; sends are marked', async () => {
      const store = await make();
      const { year, unit } = fresh();
      const list = [1, 2, 3, 4, 5].map((n) => enterprise(year, unit, n));
      expect(await store.createUnit(unitOf(year, unit, 5), list)).toMatchObject({ enterprises: 5 });
      expect(await store.createUnit({ ...unitOf(year, unit, 5), members: 99 }, list)).toMatchObject({
        members: 5,
      });
      expect((await store.enterpriseRange(P, year, unit, 2, 3)).map((e) => e.seq)).toEqual([2, 3, 4]);
      expect((await store.enterpriseRange(P, year, unit, 5, 100)).map((e) => e.seq)).toEqual([5]);
      await store.markSent(P, year, unit, 2, { kind: 'notify', at: '2026-11-01T00:00:01.000Z' });
      await store.markSent(P, year, unit, 2, { kind: 'remind', at: '2026-11-15T00:00:01.000Z' });
      expect(await store.getEnterprise(P, year, unit, 2)).toMatchObject({
        notifiedAt: '2026-11-01T00:00:01.000Z',
        remindedAt: '2026-11-15T00:00:01.000Z',
      });
      expect(await store.getEnterprise(P, year, unit, 6)).toBeUndefined();
      expect((await store.listUnits(P, year)).map((u) => u.unit)).toEqual([unit]);
    });

    it('takes an enterprise’s first answer only, and none once the collection has closed', async () => {
      const store = await make();
      const { year, unit } = fresh();
      await store.createUnit(unitOf(year, unit, 2), [enterprise(year, unit, 1), enterprise(year, unit, 2)]);
      const at = '2026-11-02T00:00:00.000Z';
      const after = await store.answer(P, year, unit, 1, { answers: { F1: { inPost: false } }, at });
      expect(after.answered).toBe(1);
      await conflict(
        store.answer(P, year, unit, 1, { answers: { F1: { inPost: true } }, at }),
        'already_answered',
      );
      expect((await store.getEnterprise(P, year, unit, 1))?.answers).toEqual({ F1: { inPost: false } });
      const results = unitResults(unit, await store.enterpriseRange(P, year, unit, 1, 2));
      expect(await store.closeCollection(P, year, unit, results)).toBe(true);
      expect(await store.closeCollection(P, year, unit, results)).toBe(false);
      await conflict(store.answer(P, year, unit, 2, { answers: { F2: { inPost: true } }, at }), 'closed');
      expect((await store.getUnit(P, year, unit))?.answered).toBe(1);
    });

    it('is acknowledged once; outcomes add up; a unit ends once', async () => {
      const store = await make();
      const { year, unit } = fresh();
      await store.createUnit(unitOf(year, unit, 1), [enterprise(year, unit, 1)]);
      await store.closeCollection(P, year, unit, unitResults(unit, []));
      const waiting = await store.setUnitWait(P, year, unit, { taskToken: 'T1', escalated: false });
      expect(waiting).toMatchObject({ taskToken: 'T1', status: 'reviewing' });
      const by = { role: 'city' as const, id: 'review@x.cn', unit };
      const acknowledged = await store.acknowledge(P, year, unit, { at: '2026-11-23T00:00:00.000Z', by });
      expect(acknowledged).toMatchObject({ status: 'applying', acknowledgedBy: by, taskToken: 'T1' });
      await conflict(
        store.acknowledge(P, year, unit, { at: '2026-11-24T00:00:00.000Z', by }),
        'already_acknowledged',
      );
      await store.recordOutcomes(P, year, unit, { F1: 'removed' });
      await store.recordOutcomes(P, year, unit, { F2: 'skipped' });
      expect((await store.getUnit(P, year, unit))?.outcomes).toEqual({ F1: 'removed', F2: 'skipped' });
      // Expiry applies only while the acknowledgement is awaited.
      expect(
        await store.finishUnit(P, year, unit, { status: 'failed', at: 'x', error: 'Expired' }, true),
      ).toBe(false);
      expect(await store.finishUnit(P, year, unit, { status: 'done', at: '2026-11-25T00:00:00.000Z' })).toBe(
        true,
      );
      expect(await store.finishUnit(P, year, unit, { status: 'failed', at: 'y', error: 'Late' })).toBe(false);
      expect(await store.getUnit(P, year, unit)).toMatchObject({
        status: 'done',
        finishedAt: '2026-11-25T00:00:00.000Z',
      });
    });

    it('records a unit that failed before it opened, as ended', async () => {
      const store = await make();
      const { year, unit } = fresh();
      expect(
        await store.finishUnit(P, year, unit, {
          status: 'failed',
          at: '2026-11-01T00:00:00.000Z',
          error: 'Boom',
        }),
      ).toBe(true);
      expect(await store.getUnit(P, year, unit)).toMatchObject({
        status: 'failed',
        error: 'Boom',
        enterprises: 0,
      });
    });

    it('keeps links by the hash of their token', async () => {
      const store = await make();
      const { year, unit } = fresh();
      const link = {
        tokenHash: `hash-${year}`,
        programId: P,
        year,
        unit,
        kind: 'enterprise' as const,
        seq: 1,
        createdAt: '2026-11-01T00:00:00.000Z',
        expiresAt: '2026-11-22T00:00:00.000Z',
      };
      await store.putLink(link);
      expect(await store.getLink(link.tokenHash)).toEqual(link);
      expect(await store.getLink('nope')).toBeUndefined();
    });
  });
}
