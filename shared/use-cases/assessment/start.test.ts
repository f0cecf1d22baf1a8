// Starting the year (province staff, or the schedule on opensOn) and reading its results
// (province and auditors): who may, which years, and what a repeat answers.
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { PROGRAMS } from '../../domain/programs/index.ts';
import type { StaffPrincipal } from '../../domain/staff.ts';
import { memoryAssessmentStore } from './memory-store.ts';
import { assessmentResults, PUBLICATION_NOTE, startAssessment, startDueAssessments } from './start.ts';

const P = 'liaoning-cso';
const staff = (role: 'city' | 'province' | 'auditor', programId = P): StaffPrincipal => ({
  subject: `s-${role}`,
  scopes: [{ role, programId, ...(role === 'city' ? { unit: '210100' } : {}) }],
});

function setup(now = new Date('2026-11-22T00:00:00Z')) {
  const store = memoryAssessmentStore();
  const starts: string[] = [];
  const running = new Set<string>();
  const deps = {
    store,
    now: () => now,
    starter: {
      async startProgram(programId: string, year: string) {
        const name = `${programId}-${year}`;
        starts.push(name);
        const alreadyStarted = running.has(name);
        running.add(name);
        return { execution: name, alreadyStarted };
      },
    },
  };
  return { store, starts, deps };
}

describe('startAssessment', () => {
  it('lets province staff of the programme start a year; others get a 403 that names nothing', async () => {
    const { deps, starts } = setup();
    await expect(startAssessment(deps, staff('city'), P, '2026')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(startAssessment(deps, staff('auditor'), P, '2026')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      startAssessment(deps, staff('province', 'anhui-std-director'), P, '2026'),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(starts).toEqual([]);
    expect(await startAssessment(deps, staff('province'), P, '2026')).toEqual({
      programId: P,
      year: '2026',
      execution: `${P}-2026`,
      status: 'started',
    });
  });

  it('refuses years before the policy or after this year', async () => {
    const { deps } = setup();
    for (const year of ['2020', '2027', 'abcd', '']) {
      await expect(startAssessment(deps, staff('province'), P, year)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('answers a repeat from Step Functions, then from the year’s record, without starting anything new', async () => {
    const { deps, store, starts } = setup();
    await startAssessment(deps, staff('province'), P, '2026');
    expect((await startAssessment(deps, staff('province'), P, '2026')).status).toBe('already_started');
    await store.openProgram({ programId: P, year: '2026', startedAt: 'x' });
    expect((await startAssessment(deps, staff('province'), P, '2026')).status).toBe('already_started');
    await store.closeProgram(P, '2026', { status: 'closed', at: 'y' });
    expect((await startAssessment(deps, staff('province'), P, '2026')).status).toBe('closed');
    expect(starts).toEqual([`${P}-2026`, `${P}-2026`]);
  });
});

describe('startDueAssessments', () => {
  it('starts every programme whose assessment opens on today’s Beijing date, and nothing on other days', async () => {
    const due = setup(new Date('2026-10-31T17:00:00Z'));
    const answers = await startDueAssessments(due.deps, PROGRAMS);
    expect(answers.map((a) => [a.execution, a.status])).toEqual(
      PROGRAMS.map((p) => [`${p.id}-2026`, 'started']),
    );
    const other = setup(new Date('2026-11-02T00:00:00Z'));
    expect(await startDueAssessments(other.deps, PROGRAMS)).toEqual([]);
    expect(other.starts).toEqual([]);
  });
});

describe('assessmentResults', () => {
  it('is for province staff and auditors; the outstanding list carries masked names only', async () => {
    const { deps, store } = setup();
    await expect(assessmentResults(deps, staff('province'), P, '2026')).rejects.toBeInstanceOf(NotFoundError);
    await store.openProgram({ programId: P, year: '2026', startedAt: '2026-11-01T00:00:00Z' });
    await store.setProgramUnits(P, '2026', ['210100', '210200']);
    await store.createUnit(
      {
        programId: P,
        year: '2026',
        unit: '210100',
        status: 'open',
        members: 1,
        pageSize: 100,
        pageCount: 1,
        pagesDecided: 1,
        openedAt: 'x',
      },
      [],
    );
    await store.finishUnit(P, '2026', '210100', {
      status: 'done',
      at: 'y',
      results: {
        members: 1,
        graded: { excellent: 1, qualified: 0, basically_qualified: 0, unqualified: 0 },
        removed: 0,
        skipped: 0,
        outstanding: [
          { filingId: 'F0000000000001', name: '张*', role: 'cso', unit: '210100', enterprise: '甲' },
        ],
      },
    });
    await expect(assessmentResults(deps, staff('city'), P, '2026')).rejects.toBeInstanceOf(ForbiddenError);
    const read = await assessmentResults(deps, staff('auditor'), P, '2026');
    expect(read).toMatchObject({
      status: 'open',
      totals: { members: 1, graded: { excellent: 1 } },
      outstanding: [{ name: '张*' }],
      unfinished: ['210200'],
      publication: PUBLICATION_NOTE,
    });
    expect(read.units.map((u) => [u.unit, u.status])).toEqual([
      ['210100', 'done'],
      ['210200', 'not_started'],
    ]);
  });
});
