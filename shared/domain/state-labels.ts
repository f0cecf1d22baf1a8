// How each lifecycle state reads to people, in Chinese and English (status page, emails).
import type { FilingState } from './lifecycle.ts';

export const STATE_LABELS: Record<FilingState, { zh: string; en: string }> = {
  submitted: { zh: '已提交，待市局审核', en: 'submitted, awaiting city review' },
  city_review: { zh: '市局审核中', en: 'under city review' },
  changes_requested: { zh: '需修改后重新提交', en: 'changes requested' },
  province_review: { zh: '市局已通过，待省局纳入人才库', en: 'approved by the city, awaiting the province' },
  in_pool: { zh: '已纳入人才库', en: 'in the talent pool' },
  registered: { zh: '备案完成', en: 'registered with the city or county bureau' },
  rejected: { zh: '未通过审核', en: 'rejected' },
  declined: { zh: '省局未予纳入', en: 'declined by the province' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  removed: { zh: '已退出人才库', en: 'removed from the pool' },
  superseded: {
    zh: '已由新的备案替代（岗位变更或调动）',
    en: 'replaced by a later filing (new role or enterprise)',
  },
};
