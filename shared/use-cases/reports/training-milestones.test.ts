// The training milestones from the recorded batches: the province's first batch in 2021, then
// the cities' batches each year from 2022 (met, not met, or in progress in asOf's open year);
// read by the report with one list of the batches, shown in its JSON, CSV and HTML.
import { describe, expect, it } from 'vitest';
import { getProgram } from '../../domain/programs/index.ts';
import type { TrainingBatch } from '../../domain/training.ts';
import { toCsv } from './render-csv.ts';
import { toHtml } from './render-html.ts';
import { TargetProgressReportSchema } from './report-schema.ts';
import { targetProgress } from './target-progress.ts';
import { trainingMilestones } from './training-milestones.ts';

const liaoning = getProgram('liaoning-cso');
const anhui = getProgram('anhui-std-director');

const batch = (organizer: string, startDate: string, passes: number): TrainingBatch => ({
  programId: liaoning.id,
  batchId: `${startDate.replaceAll('-', '')}-${organizer === 'province' ? 'PPPPPP' : 'CCCCCC'}`,
  organizer,
  course: '首席标准官培训班',
  startDate,
  endDate: startDate,
  createdAt: `${startDate}T00:00:00Z`,
  createdBy: 'test',
  passes,
});

const BATCHES = [
  batch('province', '2021-11-08', 120),
  batch('province', '2022-03-01', 40),
  batch('210100', '2022-06-01', 35),
  batch('210200', '2022-09-15', 20),
  // 2023: none run by a city. 2024: one, late in the year.
  batch('210300', '2024-11-20', 18),
];

describe('training milestones', () => {
  it('says per year whether the province’s first batch and then the cities’ batches were run', () => {
    const m = trainingMilestones(liaoning, BATCHES, '2024-12-31');
    expect(m?.milestones.map((x) => [x.year, x.kind, x.status, x.batches, x.passes, x.units])).toEqual([
      [2021, 'province_first_batch', 'met', 1, 120, ['province']],
      [2022, 'city_batches', 'met', 2, 55, ['210100', '210200']],
      [2023, 'city_batches', 'not_met', 0, 0, []],
      [2024, 'city_batches', 'met', 1, 18, ['210300']],
    ]);
    expect(m?.milestones[0]?.firstBatch).toEqual({ batchId: '20211108-PPPPPP', startDate: '2021-11-08' });
    // A province batch after 2021 is no city batch; totals count every batch begun.
    expect(m).toMatchObject({ batches: 5, passes: 233 });
  });

  it('counts only batches begun by asOf, and leaves the open year in progress', () => {
    const m = trainingMilestones(liaoning, BATCHES, '2024-06-30');
    expect(m?.milestones.at(-1)).toMatchObject({ year: 2024, status: 'in_progress', batches: 0 });
    const early = trainingMilestones(liaoning, BATCHES, '2021-10-01');
    expect(early?.milestones).toEqual([expect.objectContaining({ year: 2021, status: 'in_progress' })]);
    const missed = trainingMilestones(liaoning, BATCHES.slice(2), '2022-12-31');
    expect(missed?.milestones[0]).toMatchObject({ year: 2021, status: 'not_met', firstBatch: null });
  });

  it('is absent where the programme sets no training milestone', () => {
    expect(trainingMilestones(anhui, BATCHES, '2024-12-31')).toBeNull();
  });

  it('is read by the report from the batch list and shown in JSON, CSV and HTML', async () => {
    const listed: string[] = [];
    const deps = {
      counters: { countersUpTo: async () => [] },
      training: {
        listBatches: async (programId: string) => {
          listed.push(programId);
          return BATCHES;
        },
      },
      now: () => new Date('2025-01-10T04:00:00Z'),
    };
    const report = await targetProgress(deps, { programId: liaoning.id, asOf: '2024-12-31' });
    expect(listed).toEqual(['liaoning-cso']);
    expect(TargetProgressReportSchema.safeParse(report).success).toBe(true);
    expect(report.trainingMilestones?.milestones.map((m) => m.status)).toEqual([
      'met',
      'met',
      'not_met',
      'met',
    ]);
    const csv = toCsv(report).split('\r\n');
    expect(csv).toContain('培训里程碑,年份,完成情况,培训批次,合格人数,组织单位');
    expect(csv).toContain('2023 年各市局自主开展培训,2023,未完成,0,0,');
    expect(csv).toContain('2022 年各市局自主开展培训,2022,已完成,2,55,210100、210200');
    const html = await toHtml(report);
    expect(html).toContain('培训里程碑');
    expect(html).toContain('2021 年省局组织第一批培训');
    expect(html).toMatch(/<tr class="lagging"><td>2023<\/td>/);

    const without = await targetProgress(deps, { programId: anhui.id, asOf: '2024-12-31' });
    expect(without.trainingMilestones).toBeUndefined();
    expect(toCsv(without)).not.toContain('培训里程碑');
    expect(await toHtml(without)).not.toContain('培训里程碑');
    expect(listed).toEqual(['liaoning-cso']);
  });
});
