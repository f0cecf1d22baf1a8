// The training milestones of the target-progress report, from the recorded batches: the year
// the province runs the first batch, then each year from the one the cities take over, whether
// batches run by the cities exist (met / not met; the year of asOf, while not over and not yet
// met, is in progress). Reads the programme's batch list: one small partition (a few dozen
// batches a year), whatever the number of people trained.
import * as z from 'zod/mini';
import type { Program } from '../../domain/programs/program.ts';
import { PROVINCE_ORGANIZER, type TrainingBatch } from '../../domain/training.ts';
import type { TrainingStore } from '../../ports/training.ts';

const localized = z.object({ zh: z.string(), en: z.string() });

export const TrainingMilestoneSchema = z.object({
  year: z.number(),
  kind: z.enum(['province_first_batch', 'city_batches']),
  status: z.enum(['met', 'not_met', 'in_progress']),
  description: localized,
  /** Batches that count for it, begun by asOf. */
  batches: z.number(),
  /** People on those batches' pass lists. */
  passes: z.number(),
  /** The organizing units (city batches), or the first batch's id and first day (province). */
  units: z.array(z.string()),
  firstBatch: z.nullable(z.object({ batchId: z.string(), startDate: z.string() })),
});
export const TrainingMilestonesSchema = z.object({
  milestones: z.array(TrainingMilestoneSchema),
  /** Batches begun by asOf, and the people passed in them. */
  batches: z.number(),
  passes: z.number(),
});
export type TrainingMilestone = z.infer<typeof TrainingMilestoneSchema>;
export type TrainingMilestones = z.infer<typeof TrainingMilestonesSchema>;

/** The milestones as of a date, or null where the programme sets none. */
export function trainingMilestones(
  program: Program,
  batches: readonly TrainingBatch[],
  asOf: string,
): TrainingMilestones | null {
  const plan = program.training.milestones;
  if (!plan) return null;
  const begun = batches.filter((b) => b.startDate <= asOf);
  const asOfYear = Number(asOf.slice(0, 4));
  const yearOf = (b: TrainingBatch) => Number(b.startDate.slice(0, 4));
  const status = (year: number, met: boolean) =>
    met ? 'met' : year === asOfYear && asOf < `${year}-12-31` ? 'in_progress' : 'not_met';
  const sum = (list: readonly TrainingBatch[]) => list.reduce((n, b) => n + b.passes, 0);
  const milestones: TrainingMilestone[] = [];

  const first = plan.provinceFirstBatchYear;
  if (first <= asOfYear) {
    const province = begun
      .filter((b) => b.organizer === PROVINCE_ORGANIZER && yearOf(b) === first)
      .sort((a, b) => a.startDate.localeCompare(b.startDate));
    const earliest = province[0];
    milestones.push({
      year: first,
      kind: 'province_first_batch',
      status: status(first, province.length > 0),
      description: { zh: `${first} 年省局组织第一批培训`, en: `${first}: the province runs the first batch` },
      batches: province.length,
      passes: sum(province),
      units: province.length > 0 ? [PROVINCE_ORGANIZER] : [],
      firstBatch: earliest ? { batchId: earliest.batchId, startDate: earliest.startDate } : null,
    });
  }
  for (let year = plan.citiesFromYear; year <= asOfYear; year++) {
    const cities = begun.filter((b) => b.organizer !== PROVINCE_ORGANIZER && yearOf(b) === year);
    const sorted = [...cities].sort((a, b) => a.startDate.localeCompare(b.startDate));
    milestones.push({
      year,
      kind: 'city_batches',
      status: status(year, cities.length > 0),
      description: { zh: `${year} 年各市局自主开展培训`, en: `${year}: training run by the cities` },
      batches: cities.length,
      passes: sum(cities),
      units: [...new Set(sorted.map((b) => b.organizer))].sort(),
      firstBatch: sorted[0] ? { batchId: sorted[0].batchId, startDate: sorted[0].startDate } : null,
    });
  }
  return { milestones, batches: begun.length, passes: sum(begun) };
}

/** Reads the programme's batches (one Query) and computes the milestones; null without any set. */
export async function readTrainingMilestones(
  store: Pick<TrainingStore, 'listBatches'> | undefined,
  program: Program,
  asOf: string,
): Promise<TrainingMilestones | null> {
  if (!store || !program.training.milestones) return null;
  return trainingMilestones(program, await store.listBatches(program.id), asOf);
}

export const MILESTONE_STATUS_LABELS = {
  met: { zh: '已完成', en: 'met' },
  not_met: { zh: '未完成', en: 'not met' },
  in_progress: { zh: '进行中', en: 'in progress' },
} as const;
