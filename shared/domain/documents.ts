// The programme's documents as people see them: the titles of the filing form and the city summary, with the annex
// number only where the policy has annexes (Liaoning's 附件1 and 附件2; Anhui's guidance has none), and the summary's
// columns with the programme's own word for the unit. Exports, mails and pages take them from here, so no caller
// branches on a programme.
import type { Program } from './programs/program.ts';

/** The summary's columns (docs/domain.md §4) in order, the unit column as 所在市; a programme may name it otherwise. */
export const SUMMARY_COLUMNS = [
  '序号',
  '所在市',
  '企业名称',
  '统一社会信用代码',
  '所属行业',
  '姓名',
  '性别',
  '出生年月',
  '岗位',
  '现任职务',
  '学历',
  '职称',
  '培训合格证书编号',
  '聘任时间',
  '联系电话',
  '备注',
] as const;

type DocumentKind = 'filing' | 'summary';

/** 《title》（附件N）, or 《title》 where the programme's policy has no annexes. */
export function documentTitle(program: Program, kind: DocumentKind): string {
  const { title, annex } = program.documents[kind];
  return `《${title.zh}》${annex ? `（${annex}）` : ''}`;
}

/** The short name for file names and sheet tabs: the annex number, or the title where there is none. */
export function documentShortName(program: Program, kind: DocumentKind): string {
  const { title, annex } = program.documents[kind];
  return annex ?? title.zh;
}

/** The summary's column headers for the programme. */
export function summaryColumns(program: Program): string[] {
  return SUMMARY_COLUMNS.map((c) => (c === '所在市' ? program.documents.unitLabel.zh : c));
}
