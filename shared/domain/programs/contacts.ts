// Placeholder reviewer contacts, one pattern for every programme, so that a fresh install has
// a working local outbox without real addresses. A deployment writes each bureau's real
// contacts into its programme file instead of calling this (docs/adding-a-province.md).
export function reviewInbox(programId: string, unitCode: string): { name: string; email: string }[] {
  return [{ name: `${unitCode} 审核员`, email: `review-${unitCode.toLowerCase()}@${programId}.example.cn` }];
}
