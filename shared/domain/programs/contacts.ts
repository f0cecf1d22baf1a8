// Reviewer contacts are deployment data: each bureau replaces these addresses with its own
// (see README, "Adding a province"). They follow one pattern so a fresh install has a working
// outbox locally without real addresses.
export function reviewInbox(programId: string, unitCode: string): { name: string; email: string }[] {
  return [{ name: `${unitCode} 审核员`, email: `review-${unitCode.toLowerCase()}@${programId}.example.cn` }];
}
