// The training check at submission: the filing's certificate number and person (the keyed hash
// of the ID number) against the pass lists. Found: a notice the reviewer sees, naming the batch
// and its date. Not found: a warning the reviewer sees while the lists are incomplete, or a
// refusal where the programme's configuration says the lists are complete (training.requireRoster).

import type { FieldIssue } from '../../domain/errors.ts';
import type { Filing } from '../../domain/filing.ts';
import type { Program } from '../../domain/programs/program.ts';
import { normalizeCertificate } from '../../domain/training.ts';
import { type KeyedHasher, personHash } from '../../ports/crypto.ts';
import type { TrainingStore } from '../../ports/training.ts';

/** The code of the notice a matched certificate leaves among the filing's findings. */
export const TRAINING_VERIFIED = 'training_verified';
export const TRAINING_NOT_ON_ROSTER = 'training_not_on_roster';

export interface TrainingCheck {
  /** Shown to the reviewer with the warnings (the verified notice or the not-found warning). */
  warnings: FieldIssue[];
  /** A refusal (only with requireRoster). */
  errors: FieldIssue[];
}

export async function checkTraining(
  store: TrainingStore,
  hasher: KeyedHasher,
  program: Program,
  filing: Filing,
): Promise<TrainingCheck> {
  const certificate = filing.person.training?.certificateNumber;
  if (!certificate) return { warnings: [], errors: [] };
  const person = await personHash(hasher, program.id, filing.person.idNumber);
  const passes = await store.passesOf(program.id, person);
  const wanted = normalizeCertificate(certificate);
  const pass = passes.find((p) => p.certificateNumber === wanted);
  const path = 'person.training.certificateNumber';
  if (pass) {
    return {
      warnings: [
        {
          path,
          code: TRAINING_VERIFIED,
          message: {
            zh: `培训已核验（${pass.batchId}，${pass.passedOn}）`,
            en: `training verified (${pass.batchId}, ${pass.passedOn})`,
          },
        },
      ],
      errors: [],
    };
  }
  const notFound: FieldIssue = {
    path,
    code: TRAINING_NOT_ON_ROSTER,
    message: {
      zh: '培训合格证书编号：未在培训合格名单中找到该人员的此证书，请核对',
      en: 'Training certificate number: this person’s certificate is not on any training pass list; check it',
    },
  };
  return program.training.requireRoster
    ? { warnings: [], errors: [notFound] }
    : { warnings: [notFound], errors: [] };
}
