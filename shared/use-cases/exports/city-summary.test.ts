// The 附件2 export read back: the XLSX with exceljs (headers, frozen bold header, widths,
// labels, masking, formula text) and as raw XML inside the zip (no ID number anywhere), and
// the CSV byte for byte (BOM, CRLF, quoting, formula neutralisation).
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../../test/support/fixtures.ts';
import { toStoredFiling } from '../../data/filing-body-item.ts';
import type { FieldIssue } from '../../domain/errors.ts';
import { parseFiling } from '../../domain/filing.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { FilingRecord } from '../../ports/filings.ts';
import { citySummaryCsv, citySummaryRows, citySummaryXlsx, SUMMARY_HEADERS } from './city-summary.ts';
import { csvField, neutralizeFormula, toCsv } from './csv.ts';

const program = getProgram('liaoning-cso');
const AT = '2025-06-01T02:00:00.000Z';
const ID_LIKE = /(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])/;

function record(
  n: number,
  change: (f: ReturnType<typeof parseFiling>) => void = () => undefined,
  warnings: FieldIssue[] = [],
) {
  const filing = parseFiling(validFiling({ n }));
  change(filing);
  const rec: FilingRecord = {
    filingId: `F${String(n).padStart(13, '0')}`,
    programId: program.id,
    createdAt: AT,
    filing: toStoredFiling(filing),
    warnings,
    state: 'province_review',
    version: 3,
    lastEvent: {
      filingId: `F${n}`,
      version: 3,
      action: 'approve',
      actor: { role: 'city' },
      from: 'city_review',
      to: 'province_review',
      at: AT,
      programId: program.id,
      unit: filing.enterprise.reportingUnit,
      role: filing.role,
    },
  };
  return { rec, idNumber: filing.person.idNumber, mobile: filing.person.mobile };
}

const warning: FieldIssue = {
  path: 'person.education',
  code: 'rule_specialist-qualification',
  message: { zh: '学历：标准化专员一般应具备大专以上学历或中级以上职称', en: 'education: …' },
};

const first = record(11);
const specialist = record(
  12,
  (f) => {
    f.role = 'specialist';
    f.person.education = 'secondary';
    f.person.titleLevel = 'none';
    f.person.titleName = undefined;
    f.person.sex = 'female';
  },
  [warning],
);
// Stored data is not re-validated on export: a hostile value must still come out as text.
const hostile = record(13, (f) => {
  f.person.name = '=SUM(A1:A9)';
  f.enterprise.name = '@cmd|"/c calc"!A1, 有限公司';
  f.person.position = '-2+3';
});
const records = [first.rec, specialist.rec, hostile.rec];
const idNumbers = [first.idNumber, specialist.idNumber, hostile.idNumber];

/** Every entry of a zip archive, inflated (stored or deflated, as xlsx writers produce). */
function unzip(buffer: Buffer): Map<string, string> {
  const entries = new Map<string, string>();
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = buffer.readUInt32LE(eocd + 16);
  const count = buffer.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30);
    const comment = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    entries.set(name, (method === 0 ? data : inflateRawSync(data)).toString('utf8'));
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

async function readBack(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

describe('city summary (附件2) rows', () => {
  it('uses the programme and domain labels in Chinese', () => {
    const [row1, row2] = citySummaryRows(program, records);
    expect(row1).toEqual([
      '1',
      '沈阳市',
      first.rec.filing.enterprise.name,
      first.rec.filing.enterprise.uscc,
      'C 制造业',
      '张伟',
      first.rec.filing.person.sex === 'male' ? '男' : '女',
      first.rec.filing.person.birthYearMonth,
      '首席标准官',
      '副总经理',
      '本科',
      '高级工程师（副高级）',
      'LNCSO-2023-00011',
      '2024-03-01',
      `138****${first.mobile.slice(-4)}`,
      '',
    ]);
    expect(row2?.[6]).toBe('女');
    expect(row2?.[8]).toBe('标准化专员');
    expect(row2?.[10]).toBe('中专/高中及以下');
    expect(row2?.[11]).toBe('无');
    expect(row2?.[15]).toBe(warning.message.zh);
  });

  it('falls back to the stored code when a unit or role is not in the programme', () => {
    const odd = record(14, (f) => {
      f.enterprise.reportingUnit = '219999';
      f.role = 'retired_role';
    });
    const [row] = citySummaryRows(program, [odd.rec]);
    expect(row?.[1]).toBe('219999');
    expect(row?.[8]).toBe('retired_role');
  });

  it('redacts personal data that reached a remark', () => {
    const leaky = record(15, () => undefined, [
      { path: 'x', code: 'x', message: { zh: `请核对 ${idNumbers[0]} 与 13912345678`, en: 'x' } },
    ]);
    const remark = citySummaryRows(program, [leaky.rec])[0]?.[15] ?? '';
    expect(remark).not.toContain(idNumbers[0]);
    expect(remark).not.toContain('13912345678');
    expect(remark).toContain('[id]');
  });
});

describe('city summary as XLSX', () => {
  it('has one sheet 附件2 with the §4 headers in order, bold and frozen, widths set', async () => {
    const workbook = await readBack(await citySummaryXlsx(program, records));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['附件2']);
    const sheet = workbook.getWorksheet('附件2');
    if (!sheet) throw new Error('no sheet');
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual([
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
    ]);
    expect(SUMMARY_HEADERS).toEqual(headers);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(1).getCell(16).font?.bold).toBe(true);
    for (let c = 1; c <= 16; c++) expect(sheet.getColumn(c).width).toBeGreaterThanOrEqual(6);
    expect(sheet.getColumn(3).width).toBeGreaterThan(sheet.getColumn(7).width ?? 0);
    expect(sheet.rowCount).toBe(1 + records.length);
    expect(sheet.getRow(3).getCell(16).value).toBe(warning.message.zh);
  });

  it('masks mobiles and holds no ID number, masked or not, anywhere in the file', async () => {
    const buffer = await citySummaryXlsx(program, records);
    const sheet = (await readBack(buffer)).getWorksheet('附件2');
    const phones = [2, 3, 4].map((r) => sheet?.getRow(r).getCell(15).value);
    expect(phones).toEqual([
      `138****${first.mobile.slice(-4)}`,
      `138****${specialist.mobile.slice(-4)}`,
      `138****${hostile.mobile.slice(-4)}`,
    ]);
    const xml = [...unzip(buffer).values()].join('\n');
    expect(xml).toContain('附件2');
    for (const id of idNumbers) {
      expect(xml).not.toContain(id);
      expect(xml).not.toContain(id.slice(6, 14)); // the birth date part
    }
    for (const rec of records) expect(xml).not.toContain(rec.filing.person.idNumberMasked);
    for (const mobile of [first.mobile, specialist.mobile]) expect(xml).not.toContain(mobile);
    expect(xml).not.toMatch(ID_LIKE);
  });

  it('writes formula-looking values as plain strings, never formulas', async () => {
    const buffer = await citySummaryXlsx(program, records);
    const sheet = (await readBack(buffer)).getWorksheet('附件2');
    const name = sheet?.getRow(4).getCell(6);
    expect(name?.value).toBe('=SUM(A1:A9)');
    expect(name?.type).toBe(ExcelJS.ValueType.String);
    expect(sheet?.getRow(4).getCell(3).type).toBe(ExcelJS.ValueType.String);
    const xml = [...unzip(buffer).values()].join('\n');
    expect(xml).not.toContain('<f>');
  });

  it('carries the official title of Liaoning’s 附件2, and Anhui’s own title and unit column without an annex', async () => {
    const liaoning = await readBack(await citySummaryXlsx(program, records));
    expect(liaoning.title).toBe('《首席标准官、标准总监和标准化专员信息汇总表》（附件2）');
    const anhui = getProgram('anhui-std-director');
    const buffer = await citySummaryXlsx(anhui, []);
    const workbook = await readBack(buffer);
    expect(workbook.title).toBe('《企业标准总监信息汇总表》');
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['企业标准总监信息汇总表']);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the workbook has no sheet');
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers[1]).toBe('所在市、省直管县（市）');
    expect(headers).toHaveLength(SUMMARY_HEADERS.length);
    expect([...unzip(buffer).values()].join('\n')).not.toContain('附件');
    const csv = citySummaryCsv(anhui, []).toString('utf8').slice(1);
    expect(csv.split('\r\n')[0]?.split(',')[1]).toBe('所在市、省直管县（市）');
  });

  it('is a valid workbook with only the header when there is nothing to send', async () => {
    const sheet = (await readBack(await citySummaryXlsx(program, []))).getWorksheet('附件2');
    expect(sheet?.rowCount).toBe(1);
  });
});

describe('city summary as CSV', () => {
  it('starts with a BOM, ends records with CRLF and matches the XLSX rows', () => {
    const csv = citySummaryCsv(program, records);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(SUMMARY_HEADERS.join(','));
    expect(lines).toHaveLength(records.length + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[1]?.split(',')[14]).toBe(`138****${first.mobile.slice(-4)}`);
  });

  it('neutralises formulas and quotes fields with commas and quotes', () => {
    const text = citySummaryCsv(program, records).toString('utf8');
    const row = text.split('\r\n')[3] ?? '';
    expect(row).toContain(",'=SUM(A1:A9),");
    expect(row).toContain(`,"'@cmd|""/c calc""!A1, 有限公司",`);
    expect(row).toContain(",'-2+3,");
  });

  it('holds no ID number', () => {
    const text = citySummaryCsv(program, records).toString('utf8');
    for (const id of idNumbers) expect(text).not.toContain(id);
    for (const rec of records) expect(text).not.toContain(rec.filing.person.idNumberMasked);
    expect(text).not.toMatch(ID_LIKE);
  });
});

describe('CSV fields', () => {
  it('follows RFC 4180 and neutralises every formula prefix', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('')).toBe('');
    for (const prefix of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutralizeFormula(`${prefix}1`)).toBe(`'${prefix}1`);
    }
    expect(neutralizeFormula('024-****6789')).toBe('024-****6789');
    expect(toCsv([['a', 'b,c'], ['=1']]).toString('utf8')).toBe('\uFEFFa,"b,c"\r\n\'=1\r\n');
  });
});
