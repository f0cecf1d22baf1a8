// Why a pool member left the post: a short list the enterprise picks from (the status page,
// without zod) and the city reads in its notice.
/** Why a member left the post (a short list: the city reads it, the report may count it). */
export const LEAVE_REASONS = {
  resigned: { zh: '离职', en: 'resigned' },
  retired: { zh: '退休', en: 'retired' },
  reassigned: { zh: '调整岗位，不再担任该职务', en: 'moved to another post' },
  enterprise_closed: { zh: '企业注销或停业', en: 'the enterprise closed' },
  other: { zh: '其他', en: 'other' },
} as const;
export type LeaveReason = keyof typeof LEAVE_REASONS;
