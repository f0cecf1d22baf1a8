// The TrainingStore port in memory, for use-case tests (the DynamoDB store keeps the same contract).
import type { TrainingBatch, TrainingPass } from '../../domain/training.ts';
import { passKey, type TrainingStore } from '../../ports/training.ts';

export class MemoryTrainingStore implements TrainingStore {
  readonly batches = new Map<string, TrainingBatch>();
  readonly passes = new Map<string, TrainingPass>();
  /** Items written, for tests that count them. */
  writes = 0;

  async putBatch(batch: TrainingBatch) {
    const key = `${batch.programId}#${batch.batchId}`;
    if (this.batches.has(key)) throw new Error('batch exists');
    this.batches.set(key, { ...batch });
    this.writes++;
  }
  async getBatch(programId: string, batchId: string) {
    const batch = this.batches.get(`${programId}#${batchId}`);
    return batch ? { ...batch } : undefined;
  }
  async listBatches(programId: string) {
    return [...this.batches.values()]
      .filter((b) => b.programId === programId)
      .sort((a, b) => a.batchId.localeCompare(b.batchId))
      .map((b) => ({ ...b }));
  }
  async findPasses(programId: string, keys: readonly { person: string; certificateNumber: string }[]) {
    const found = new Map<string, TrainingPass>();
    for (const k of keys) {
      const pass = this.passes.get(`${programId}#${passKey(k.person, k.certificateNumber)}`);
      if (pass) found.set(passKey(k.person, k.certificateNumber), { ...pass });
    }
    return found;
  }
  async putPasses(programId: string, passes: readonly TrainingPass[]) {
    for (const p of passes) {
      this.passes.set(`${programId}#${passKey(p.person, p.certificateNumber)}`, { ...p });
      this.writes++;
    }
  }
  async passesOf(programId: string, person: string) {
    return [...this.passes.entries()]
      .filter(([k, p]) => k.startsWith(`${programId}#`) && p.person === person)
      .map(([, p]) => ({ ...p }));
  }
  async addToBatchCount(programId: string, batchId: string, added: number) {
    const batch = this.batches.get(`${programId}#${batchId}`);
    if (batch) batch.passes += added;
  }
}
