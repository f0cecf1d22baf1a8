// Item type Person: the uniqueness claim "this person holds an active filing in this
// program", keyed by a keyed hash of the ID number. Created with the filing, deleted when
// the filing reaches a final state, always in the same transaction.
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
