// What an applicant sees with their receipt: status, a masked summary, the history and the
// reviewers' comments, and the warnings the reviewer sees. Staff identities are not shown.

import { departuresAllowed } from '../domain/departure.ts';
import { ACTION_LABELS } from '../domain/labels.ts';
import { maskEmail, maskMobile, maskName } from '../domain/masking.ts';
import { getProgram } from '../domain/programs/index.ts';
import { findRole, findUnit } from '../domain/programs/program.ts';
import { STATE_LABELS } from '../domain/state-labels.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import type { FilingEvent, FilingRecord, FilingRepository } from '../ports/filings.ts';
import { requireReceipt } from './receipt.ts';

export { STATE_LABELS } from '../domain/state-labels.ts';

const COMMENT_ACTIONS = new Set(['reject', 'request_changes', 'decline', 'remove', 'withdraw', 'supersede']);

export function statusView(record: FilingRecord, history: FilingEvent[]) {
  const program = getProgram(record.programId);
  const { person, enterprise } = record.filing;
  const unit = findUnit(program, enterprise.reportingUnit);
  const role = findRole(program, record.filing.role);
  return {
    filingId: record.filingId,
    programId: record.programId,
    status: record.state,
    statusLabel: STATE_LABELS[record.state],
    version: record.version,
    submittedAt: record.createdAt,
    summary: {
      name: maskName(person.name),
      role: role ? { id: role.id, name: role.name } : { id: record.filing.role },
      // The unit's own bureau (沈阳市市场监督管理局) reviews the filing: the applicant is told which one.
      reportingUnit: unit
        ? { code: unit.code, name: unit.name, authority: unit.reviewer.authority }
        : { code: enterprise.reportingUnit },
      enterprise: enterprise.name,
      uscc: enterprise.uscc,
      idNumber: person.idNumberMasked,
      mobile: maskMobile(person.mobile),
      email: maskEmail(person.email),
    },
    history: history.map((e) => ({
      at: e.at,
      action: e.action,
      actionLabel: ACTION_LABELS[e.action],
      from: e.from,
      to: e.to,
      by: e.actor.role,
      ...(e.reason ? { reason: e.reason } : {}),
    })),
    comments: history
      .filter((e) => COMMENT_ACTIONS.has(e.action) && e.reason && e.actor.role !== 'applicant')
      .map((e) => ({ at: e.at, action: e.action, by: e.actor.role, text: e.reason })),
    warnings: record.warnings,
    /** Who the staff roles of the history and comments are for this filing: its unit's bureau, the province's. */
    authorities: {
      ...(unit ? { city: unit.reviewer.authority } : {}),
      province: program.authority,
    },
    ...(record.supersedes ? { supersedes: record.supersedes } : {}),
    /** What the enterprise may still report (left the post, consent withdrawn). */
    departures: departuresAllowed(record.state),
  };
}

export async function filingStatus(
  deps: { repo: FilingRepository; hasher: KeyedHasher },
  input: { filingId: string; receipt: string | undefined },
) {
  await requireReceipt(deps.hasher, input.filingId, input.receipt);
  const [record, history] = await Promise.all([
    deps.repo.get(input.filingId),
    deps.repo.history(input.filingId),
  ]);
  return statusView(record, history);
}
