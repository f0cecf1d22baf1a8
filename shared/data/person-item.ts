// Item type Person: the uniqueness claim "this person holds an active filing in this
// program", keyed by a keyed hash of the ID number. Created with the filing, deleted when
// the filing reaches a final state, always in the same transaction.
//
// Beside it, at most one PersonSuccessor: a later filing of a pool member for another role or
// another enterprise, which may wait for review while the member stays in the pool. On its
// inclusion it takes the Person claim and the earlier filing is superseded; should the earlier
// filing end first, the successor takes the claim then; should the successor end first, only
// its own item goes.
export const personKey = (programId: string, personHash: string) => ({
  pk: `PERSON#${programId}#${personHash}`,
  sk: 'PERSON' as const,
});

export interface PersonItem {
  pk: string;
  sk: 'PERSON';
  type: 'Person';
  filingId: string;
  since: string;
}

export function toPersonItem(
  programId: string,
  personHash: string,
  filingId: string,
  since: string,
): PersonItem {
  return { ...personKey(programId, personHash), type: 'Person', filingId, since };
}

export const successorKey = (programId: string, personHash: string) => ({
  pk: `PERSON#${programId}#${personHash}`,
  sk: 'SUCCESSOR' as const,
});

export interface PersonSuccessorItem {
  pk: string;
  sk: 'SUCCESSOR';
  type: 'PersonSuccessor';
  /** The later filing. */
  filingId: string;
  /** The pool member's filing it replaces on inclusion. */
  supersedes: string;
  since: string;
}

export function toSuccessorItem(
  programId: string,
  personHash: string,
  filingId: string,
  supersedes: string,
  since: string,
): PersonSuccessorItem {
  return { ...successorKey(programId, personHash), type: 'PersonSuccessor', filingId, supersedes, since };
}
