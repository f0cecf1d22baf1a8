// Retention (docs/domain.md §8): a filing that ended (withdrawn, rejected, declined, removed) is
// anonymized once its programme's retention period has passed since the event that ended it.
// Counters and the shape of the audit trail stay (how many events, in which order, which
// states, which staff acted, when); the person, the documents and all free text go. Staff
// account ids stay on events and access entries: they record who decided and who looked (the
// staff's accountability), not anything about the person who filed.
//
// Order, for a crash at any point: the audit trail's free text, then the documents, then the
// body with its `anonymizedAt` stamp and the ANONYMIZED record in one conditional write.
// Until that last write the filing is still a candidate, and the next run repeats the
// (idempotent) earlier steps and finishes it; after it, no run looks at the filing again.
import { filingPrefix } from '../../domain/attachments.ts';
import { FINAL_STATES } from '../../domain/lifecycle.ts';
import { getProgram, PROGRAMS } from '../../domain/programs/index.ts';
import type { Program } from '../../domain/programs/program.ts';
import { logger } from '../../observability/logger.ts';
import type { AttachmentStore } from '../../ports/attachments.ts';
import type { LatestState, RetentionStore } from '../../ports/retention.ts';
import { ANONYMIZED_TEXT, anonymizeFiling } from './anonymized-filing.ts';

const DAY_MS = 86_400_000;

export interface RetentionDeps {
  store: RetentionStore;
  attachments: AttachmentStore;
  /** The programmes and their retention periods (the deployment's by default). */
  programs?: readonly Program[];
}

export interface PurgeOptions {
  /** The time the periods are measured to, and the anonymization's time stamp. */
  now: Date;
  /** Only this programme's filings. */
  programId?: string;
  /** Stop after anonymizing this many filings (the rest wait for the next run). */
  limit?: number;
  /** Count what is due without changing anything. */
  dryRun?: boolean;
}

export interface ProgramSummary {
  /** Filings not anonymized yet whose state was read. */
  examined: number;
  /** Of these, the ones ended longer ago than the retention period. */
  due: number;
  anonymized: number;
  failed: number;
}

export interface PurgeSummary extends ProgramSummary {
  byProgram: Record<string, ProgramSummary>;
  /** True when the run stopped at `limit` with filings possibly left over. */
  limitReached: boolean;
  dryRun: boolean;
}

/** A run that left due filings behind; the next run (or the scheduler's retry) finishes them. */
export class RetentionIncompleteError extends Error {
  override readonly name = 'RetentionIncompleteError';
  readonly failed: number;
  constructor(failed: number) {
    super(`${failed} due filings could not be anonymized`);
    this.failed = failed;
  }
}

/**
 * Whether a filing in this state is due: its latest event moved it into a final state more
 * than `retentionDays` days before `now` (the event's own instant; no calendar rounding), or
 * the person withdrew consent (PIPL Art. 15 and 47: erased without waiting for the period).
 */
export function isDue(latest: LatestState, retentionDays: number, now: Date): boolean {
  if (!FINAL_STATES.includes(latest.state)) return false;
  if (latest.erasureRequested) return true;
  const endedAt = Date.parse(latest.at);
  return Number.isFinite(endedAt) && now.getTime() - endedAt > retentionDays * DAY_MS;
}

const emptySummary = (): ProgramSummary => ({ examined: 0, due: 0, anonymized: 0, failed: 0 });

export async function purgeExpired(deps: RetentionDeps, options: PurgeOptions): Promise<PurgeSummary> {
  const programs = deps.programs ?? PROGRAMS;
  if (options.programId !== undefined) getProgram(options.programId, programs);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const dryRun = options.dryRun ?? false;
  const total = emptySummary();
  const byProgram: Record<string, ProgramSummary> = {};
  let unknownProgram = 0;
  let limitReached = false;

  for await (const candidate of deps.store.candidates({ programId: options.programId })) {
    if ((dryRun ? total.due : total.anonymized) >= limit) {
      limitReached = true;
      break;
    }
    const counts = byProgram[candidate.programId] ?? emptySummary();
    byProgram[candidate.programId] = counts;
    const bump = (key: keyof ProgramSummary) => {
      counts[key]++;
      total[key]++;
    };
    bump('examined');
    const program = programs.find((p) => p.id === candidate.programId);
    if (!program) {
      // No period is configured for it: leave it alone rather than guess one.
      unknownProgram++;
      continue;
    }
    try {
      const latest = await deps.store.latestState(candidate.filingId);
      if (!latest || !isDue(latest, program.retentionDays, options.now)) continue;
      bump('due');
      if (dryRun) continue;
      if (await anonymizeOne(deps, candidate.filingId, program, latest, options.now)) bump('anonymized');
    } catch (error) {
      bump('failed');
      logger.error('retention: filing not anonymized, left for the next run', {
        filingId: candidate.filingId,
        error: (error as Error).name,
      });
    }
  }
  if (unknownProgram > 0) {
    logger.warn('retention: filings of programmes this deployment does not know were left alone', {
      filings: unknownProgram,
    });
  }
  return { ...total, byProgram, limitReached, dryRun };
}

async function anonymizeOne(
  deps: RetentionDeps,
  filingId: string,
  program: Program,
  latest: LatestState,
  now: Date,
): Promise<boolean> {
  const filing = await deps.store.storedFiling(filingId);
  if (!filing) return false; // anonymized meanwhile by another run
  const trailItemsRedacted = await deps.store.redactTrail(filingId, ANONYMIZED_TEXT);
  // Documents are personal data too; withdrawal deletes them already, and whatever it left
  // (a failed delete) goes here.
  const attachmentsDeleted = await deps.attachments.deletePrefix(filingPrefix(filingId));
  return deps.store.seal({
    filing: anonymizeFiling(filing),
    record: {
      filingId,
      programId: program.id,
      at: now.toISOString(),
      rule: latest.erasureRequested ? 'consent_withdrawn' : 'retention',
      retentionDays: program.retentionDays,
      finalState: latest.state,
      finalAt: latest.at,
      finalVersion: latest.version,
      attachmentsDeleted,
      trailItemsRedacted,
    },
  });
}
