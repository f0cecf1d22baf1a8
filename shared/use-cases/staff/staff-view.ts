// How staff see a filing: names and enterprise in full (they review them), ID numbers,
// phones and emails masked; the audit trail with who acted.
import { ACTION_LABELS } from '../../domain/labels.ts';
import { maskEmail, maskMobile, maskPhone } from '../../domain/masking.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findRole, findUnit } from '../../domain/programs/program.ts';
import { STATE_LABELS } from '../../domain/state-labels.ts';
import { stripUnsafe } from '../../domain/validation/safe-text.ts';
import type { FilingEvent, FilingRecord } from '../../ports/filings.ts';
import type { AccessEntry } from '../../ports/staff.ts';

export function staffRow(record: FilingRecord) {
  const program = getProgram(record.programId);
  const { person, enterprise } = record.filing;
  const unit = findUnit(program, enterprise.reportingUnit);
  const role = findRole(program, record.filing.role);
  return {
    filingId: record.filingId,
    programId: record.programId,
    status: record.state,
    statusLabel: STATE_LABELS[record.state],
    submittedAt: record.createdAt,
    updatedAt: record.lastEvent.at,
    name: person.name,
    role: role ? { id: role.id, name: role.name } : { id: record.filing.role },
    reportingUnit: unit ? { code: unit.code, name: unit.name } : { code: enterprise.reportingUnit },
    enterprise: enterprise.name,
    uscc: enterprise.uscc,
    idNumber: person.idNumberMasked,
    mobile: maskMobile(person.mobile),
    warnings: record.warnings.length,
    ...(record.anonymizedAt ? { anonymizedAt: record.anonymizedAt } : {}),
  };
}

export function staffDetail(record: FilingRecord, history: FilingEvent[]) {
  const { person, enterprise } = record.filing;
  return {
    ...staffRow(record),
    version: record.version,
    person: {
      ...person,
      idNumber: person.idNumberMasked,
      idNumberMasked: undefined,
      mobile: maskMobile(person.mobile),
      ...(person.officePhone ? { officePhone: maskPhone(person.officePhone) } : {}),
      email: maskEmail(person.email),
    },
    enterprise: {
      ...enterprise,
      contact: { ...enterprise.contact, phone: maskPhone(enterprise.contact.phone) },
      // Filings stored before the field existed have none.
      ...(enterprise.contactEmail ? { contactEmail: maskEmail(enterprise.contactEmail) } : {}),
    },
    // The uploaded name as text only, without the characters that could disguise it (names
    // stored before they were refused may hold them).
    attachments: (record.filing.attachments ?? []).map((a) => ({
      kind: a.kind,
      filename: stripUnsafe(a.filename),
    })),
    warningsDetail: record.warnings,
    history: history.map(eventView),
  };
}

export function eventView(e: FilingEvent) {
  return {
    at: e.at,
    action: e.action,
    actionLabel: ACTION_LABELS[e.action],
    from: e.from,
    to: e.to,
    by: e.actor.role,
    ...(e.actor.id ? { actorId: e.actor.id } : {}),
    ...(e.reason ? { reason: e.reason } : {}),
  };
}

/** One audit line: a transition or an access to personal data. */
export interface AuditLine {
  at: string;
  filingId: string;
  kind: 'transition' | 'access';
  what: string;
  from?: string | null;
  to?: string;
  by: string;
  actorId?: string;
  reason?: string;
}

export function transitionLine(e: FilingEvent): AuditLine {
  return {
    at: e.at,
    filingId: e.filingId,
    kind: 'transition',
    what: e.action,
    from: e.from,
    to: e.to,
    by: e.actor.role,
    ...(e.actor.id ? { actorId: e.actor.id } : {}),
    ...(e.reason ? { reason: e.reason } : {}),
  };
}

export function accessLine(a: AccessEntry): AuditLine {
  return {
    at: a.at,
    filingId: a.filingId ?? '',
    kind: 'access',
    what: a.what,
    by: a.role,
    actorId: a.subject,
    reason: a.reason,
  };
}

const CSV_HEADERS = [
  '时间 at',
  '备案编号 filing',
  '类别 kind',
  '事项 what',
  '原状态 from',
  '新状态 to',
  '角色 by',
  '操作人 actor',
  '理由 reason',
];

/** CSV of audit lines: UTF-8 with BOM (Excel), CRLF, quoted, formula-safe. */
export function auditCsv(lines: AuditLine[]): string {
  const cell = (value: unknown) => {
    let text = value === undefined || value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = lines.map((l) =>
    [l.at, l.filingId, l.kind, l.what, l.from, l.to, l.by, l.actorId, l.reason].map(cell).join(','),
  );
  return `\uFEFF${[CSV_HEADERS.map(cell).join(','), ...rows].join('\r\n')}\r\n`;
}
