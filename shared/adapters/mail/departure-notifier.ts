// The departure notifier: tells the unit's reviewers (the province's where the unit has none of
// its own) of every change to its pool, rendered from the programme's template and queued as
// mail. One message per recipient and event: a retried request queues the same ones. A failed
// hand-over is logged and does not undo the change it reports.
import type { RemovalKind } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findUnit } from '../../domain/programs/program.ts';
import { logger } from '../../observability/logger.ts';
import type { Mailer } from '../../ports/mailer.ts';
import type { DepartureNotifier } from '../../ports/notifier.ts';
import { poolDepartureNotice } from '../../views/review-mails.ts';

export function mailDepartureNotifier(mailer: Mailer): DepartureNotifier {
  return {
    async departure({ record, event }) {
      const program = getProgram(record.programId);
      const unit = record.filing.enterprise.reportingUnit;
      const content = poolDepartureNotice(program, {
        filingId: record.filingId,
        name: record.filing.person.name,
        role: record.filing.role,
        unit,
        enterprise: record.filing.enterprise.name,
        removal: (event.detail?.removal ?? 'province') as RemovalKind,
        reason: event.reason ?? '',
        at: event.at,
        endsReview: event.action === 'withdraw',
      });
      const recipients = findUnit(program, unit)?.reviewer.contacts ?? program.provinceReviewers;
      for (const recipient of recipients) {
        try {
          await mailer.send({
            id: `${record.filingId}#departure#${event.version}#${recipient.email}`,
            to: [recipient.email],
            ...content,
          });
        } catch (error) {
          logger.error('city not told of a pool change', {
            filingId: record.filingId,
            error: (error as Error).name,
          });
        }
      }
    },
  };
}
