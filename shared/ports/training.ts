// Where training batches and their pass lists are kept.
import type { TrainingBatch, TrainingPass } from '../domain/training.ts';

export interface TrainingStore {
  /** Records a new batch (its id is new: a repeat of the id is refused by the store). */
  putBatch(batch: TrainingBatch): Promise<void>;
  getBatch(programId: string, batchId: string): Promise<TrainingBatch | undefined>;
  /** Every batch of a programme, oldest first: one small partition (a few dozen a year). */
  listBatches(programId: string): Promise<TrainingBatch[]>;
  /** The passes already stored for these (person, certificate) pairs, by `person\u0000certificate`. */
  findPasses(
    programId: string,
    keys: readonly { person: string; certificateNumber: string }[],
  ): Promise<Map<string, TrainingPass>>;
  /** Writes passes (an existing pass of the same person and certificate is overwritten). */
  putPasses(programId: string, passes: readonly TrainingPass[]): Promise<void>;
  /** Every pass of one person (by keyed hash): the match at submission. */
  passesOf(programId: string, person: string): Promise<TrainingPass[]>;
  /** Adds to a batch's count of people on its pass list. */
  addToBatchCount(programId: string, batchId: string, added: number): Promise<void>;
}

export const passKey = (person: string, certificateNumber: string) => `${person}\u0000${certificateNumber}`;
