// The AssessmentStore contract, run against the DynamoDB adapter (integration suite) and the
// in-memory store the use-case tests use (unit suite), so the fake cannot drift from the real
// thing: a year is opened once, a batch is created once, the first grade of a page wins and
// only while the unit is open, a unit ends once, links round-trip.
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import type { AssessmentPage, AssessmentStore, UnitAssessment } from '#shared/use-cases/assessment/ports.ts';

let seq = 0;

export function assessmentStoreContract(
  name: string,
  make: () => Promise<AssessmentStore> | AssessmentStore,
) {
  const P = 'liaoning-cso';
  const fresh = () => {
    seq++;
    return { year: String(3000 + seq), unit: '210100' };
  };
  const unitOf = (year: string, unit: string, pageCount: number): UnitAssessment => ({
    programId: P,
    year,
    unit,
    status: 'open',
    members: pageCount * 2,
    pageSize: 2,
    pageCount,
    pagesDecided: 0,
    openedAt: '2026-11-01T00:00:00.000Z',
  });
  const pagesOf = (year: string, unit: string, count: number): AssessmentPage[] =>
    Array.from({ length: count }, (_v, i) => ({
      programId: P,
      year,
      unit,
      page: i + 1,
      members: [
        {
          filingId: `F${String(i * 2 + 1).padStart(13, '0')}`,
          name: '张*',
          role: 'cso',
          enterprise: '甲公司',
        },
        {
          filingId: `F${String(i * 2 + 2).padStart(13, '0')}`,
          name: '李*',
          role: 'cso',
          enterprise: '乙公司',
        },
      ],
    }));
  const by = { role: 'city' as const, id: 'review-210100@liaoning-cso.example.cn', unit: '210100' };
  const grades = { F0000000000001: { grade: 'qualified' as const } };

  async function conflictCode(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    return (error as ConflictError).code;
  }

  describe(`AssessmentStore contract: ${name}`, () => {
    it('opens a year once; the first unit list and the parent wait are kept; closing drops the wait', async () => {
      const store = await make();
      const { year } = fresh();
      const first = await store.openProgram({ programId: P, year, startedAt: '2026-11-01T00:00:00.000Z' });
      const again = await store.openProgram({ programId: P, year, startedAt: '2027-01-01T00:00:00.000Z' });
      expect(again).toEqual(first);
      expect(first).toMatchObject({ status: 'open', startedAt: '2026-11-01T00:00:00.000Z' });
      expect(await store.setProgramUnits(P, year, ['210100', '210200'])).toEqual(['210100', '210200']);
      expect(await store.setProgramUnits(P, year, ['210300'])).toEqual(['210100', '210200']);
      await store.setProgramWait(P, year, 'token-parent');
      expect((await store.getProgram(P, year))?.taskToken).toBe('token-parent');
      const summary = {
        units: [],
        totals: {
          members: 0,
          graded: { excellent: 0, qualified: 0, basically_qualified: 0, unqualified: 0 },
          removed: 0,
          skipped: 0,
        },
        outstanding: [],
        unfinished: [],
      };
      await store.closeProgram(P, year, { status: 'closed', at: '2026-12-01T00:00:00.000Z', summary });
      const closed = await store.getProgram(P, year);
      expect(closed).toMatchObject({ status: 'closed', closedAt: '2026-12-01T00:00:00.000Z', summary });
      expect(closed?.taskToken).toBeUndefined();
      expect(await store.getProgram(P, String(Number(year) + 5000))).toBeUndefined();
    });

    it('creates a batch once, with its pages', async () => {
      const store = await make();
      const { year, unit } = fresh();
      const created = await store.createUnit(unitOf(year, unit, 2), pagesOf(year, unit, 2));
      expect(created).toMatchObject({ status: 'open', pageCount: 2, pagesDecided: 0 });
      const again = await store.createUnit({ ...unitOf(year, unit, 3), members: 99 }, []);
      expect(again.members).toBe(4);
      expect((await store.getPage(P, year, unit, 2))?.members.map((m) => m.name)).toEqual(['张*', '李*']);
      expect(await store.getPage(P, year, unit, 3)).toBeUndefined();
      expect((await store.listUnits(P, year)).map((u) => u.unit)).toEqual([unit]);
      const waiting = await store.setUnitWait(P, year, unit, {
        taskToken: 'token-1',
        escalated: false,
        deadline: '2026-11-15T00:00:00.000Z',
      });
      expect(waiting).toMatchObject({ taskToken: 'token-1', escalated: false, pageCount: 2 });
    });

    it('keeps the first grades of a page, counts graded pages, and grades only while the unit is open', async () => {
      const store = await make();
      const { year, unit } = fresh();
      await store.createUnit(unitOf(year, unit, 2), pagesOf(year, unit, 2));
      await expect(store.startApplying(P, year, unit)).rejects.toBeInstanceOf(ConflictError);
      const after = await store.decidePage(P, year, unit, 2, { grades, at: '2026-11-02T00:00:00.000Z', by });
      expect(after).toMatchObject({ pagesDecided: 1, decidedPages: [2] });
      expect(await conflictCode(store.decidePage(P, year, unit, 2, { grades: {}, at: 'x', by }))).toBe(
        'already_decided',
      );
      expect((await store.getPage(P, year, unit, 2))?.grades).toEqual(grades);
      expect((await store.getPage(P, year, unit, 2))?.decidedBy).toEqual(by);
      const all = await store.decidePage(P, year, unit, 1, { grades, at: '2026-11-03T00:00:00.000Z', by });
      expect(all).toMatchObject({ pagesDecided: 2, decidedPages: [1, 2] });
      // Every page graded: an expiry no longer applies, applying starts (twice is harmless).
      expect(
        await store.finishUnit(
          P,
          year,
          unit,
          { status: 'failed', at: 'x', error: 'AssessmentExpired' },
          true,
        ),
      ).toBe(false);
      await store.startApplying(P, year, unit);
      await store.startApplying(P, year, unit);
      expect((await store.getUnit(P, year, unit))?.status).toBe('applying');
      await store.recordOutcomes(P, year, unit, 1, { F0000000000001: 'assessed', F0000000000002: 'skipped' });
      expect((await store.getPage(P, year, unit, 1))?.outcomes).toEqual({
        F0000000000001: 'assessed',
        F0000000000002: 'skipped',
      });
    });

    it('ends a unit once; an expired unit takes no grades', async () => {
      const store = await make();
      const { year, unit } = fresh();
      await store.createUnit(unitOf(year, unit, 1), pagesOf(year, unit, 1));
      expect(
        await store.finishUnit(
          P,
          year,
          unit,
          { status: 'failed', at: '2026-12-13T00:00:00.000Z', error: 'AssessmentExpired' },
          true,
        ),
      ).toBe(true);
      expect(await conflictCode(store.decidePage(P, year, unit, 1, { grades, at: 'x', by }))).toBe('closed');
      expect(await store.finishUnit(P, year, unit, { status: 'failed', at: 'y', error: 'Other' })).toBe(
        false,
      );
      expect(await store.getUnit(P, year, unit)).toMatchObject({
        status: 'failed',
        error: 'AssessmentExpired',
      });
    });

    it('records a unit that failed before it was opened, so the year sees it ended', async () => {
      const store = await make();
      const { year } = fresh();
      expect(
        await store.finishUnit(P, year, '210300', {
          status: 'failed',
          at: '2026-11-01T00:00:00.000Z',
          error: 'Boom',
        }),
      ).toBe(true);
      expect(await store.getUnit(P, year, '210300')).toMatchObject({
        programId: P,
        year,
        unit: '210300',
        status: 'failed',
        error: 'Boom',
        pageCount: 0,
      });
    });

    it('finishes a unit with its results', async () => {
      const store = await make();
      const { year, unit } = fresh();
      await store.createUnit(unitOf(year, unit, 0), []);
      const results = {
        members: 0,
        graded: { excellent: 0, qualified: 0, basically_qualified: 0, unqualified: 0 },
        removed: 0,
        skipped: 0,
        outstanding: [],
      };
      expect(
        await store.finishUnit(P, year, unit, { status: 'done', at: '2026-11-01T00:00:00.000Z', results }),
      ).toBe(true);
      expect(await store.getUnit(P, year, unit)).toMatchObject({ status: 'done', results });
    });

    it('keeps links by the hash of their token, with their expiry', async () => {
      const store = await make();
      const { year } = fresh();
      const link = {
        tokenHash: `hash-${year}`,
        programId: P,
        year,
        unit: '210100',
        stage: 'assessment' as const,
        reviewer: by,
        createdAt: '2026-11-01T00:00:00.000Z',
        expiresAt: '2026-12-13T00:00:00.000Z',
      };
      await store.putLink(link);
      expect(await store.getLink(link.tokenHash)).toEqual(link);
      await expect(store.putLink(link)).rejects.toThrow();
      expect(await store.getLink('no-such-hash')).toBeUndefined();
    });
  });
}
