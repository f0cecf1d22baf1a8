// Notifier adapter: renders the program's Chinese templates and queues them (the mailer
// function sends them through SES v2, SMTP or the local outbox). Each reviewer gets their own
// message with their own link; alerts go to the operators' address (ALERT_EMAIL) and to the
// error log.
import { ALERT_CONSOLE_URL_ENV, ALERT_EMAIL_ENV } from '../../config/env.ts';
import { applicantFacts, daysUntil, type EmailContent } from '../../domain/email-templates.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { logger } from '../../observability/logger.ts';
import type { Mailer } from '../../ports/mailer.ts';
import type { Notifier } from '../../ports/notifier.ts';
import {
  applicantChangesRequested,
  applicantCityApproved,
  applicantDeclined,
  applicantExpired,
  applicantIncluded,
  applicantReceived,
  applicantRegistered,
  applicantRejected,
  failureAlert,
  provinceBatch,
  reviewEscalation,
  reviewReminder,
  reviewRequest,
} from '../../views/review-mails.ts';
import { queuedMailer } from './queued-mailer.ts';

const send = (mailer: Mailer, to: string, content: EmailContent, mailId?: string) =>
  mailer.send({
    ...(mailId ? { id: `${mailId}#${to}` } : {}),
    to: [to],
    subject: content.subject,
    text: content.text,
    html: content.html,
    kind: content.kind,
    links: content.links,
  });

export function mailNotifier(
  mailer: Mailer = queuedMailer(),
  env: NodeJS.ProcessEnv = process.env,
): Notifier {
  const alertTo = env[ALERT_EMAIL_ENV];
  return {
    async review(notice) {
      const applicant = applicantFacts(notice.record.filingId, notice.record.filing);
      // Counted from the workflow's clock against the review's deadline, not the link's expiry.
      const at = notice.at ?? new Date().toISOString();
      const daysLeft = daysUntil(notice.deadline, at);
      for (const [i, recipient] of notice.recipients.entries()) {
        const reviewUrl = notice.links[i] ?? '';
        const base = {
          applicant,
          warnings: notice.record.warnings,
          deadline: notice.deadline,
          reviewUrl,
          ...(notice.linkExpiresAt ? { linkExpiresAt: notice.linkExpiresAt } : {}),
        };
        const content =
          notice.kind === 'notify'
            ? reviewRequest(notice.program, base)
            : notice.kind === 'remind'
              ? reviewReminder(notice.program, { ...base, daysLeft })
              : // The city's time ran out just now; the province has until the new deadline.
                reviewEscalation(notice.program, { ...base, cityDeadline: at });
        await send(mailer, recipient.email, content, notice.mailId);
      }
    },

    async applicant(notice) {
      const applicant = applicantFacts(notice.record.filingId, notice.record.filing);
      const base = { applicant, statusUrl: notice.statusLink };
      const reason = notice.reason ?? '';
      const content = {
        received: () =>
          applicantReceived(notice.program, {
            ...base,
            ...(notice.cityDeadline ? { cityDeadline: notice.cityDeadline } : {}),
          }),
        city_approved: () => applicantCityApproved(notice.program, base),
        changes_requested: () => applicantChangesRequested(notice.program, { ...base, reason }),
        rejected: () => applicantRejected(notice.program, { ...base, reason }),
        included: () => applicantIncluded(notice.program, base),
        registered: () => applicantRegistered(notice.program, base),
        declined: () => applicantDeclined(notice.program, { ...base, reason }),
        expired: () => applicantExpired(notice.program, { ...base, reason }),
      }[notice.outcome]();
      await send(mailer, notice.record.filing.person.email, content, notice.mailId);
    },

    async batch(notice) {
      const filings = notice.records.map((r) => ({
        filingId: r.filingId,
        filing: r.filing,
        ...(r.warnings.length ? { remark: r.warnings.map((w) => w.message.zh).join('；') } : {}),
      }));
      for (const [i, recipient] of notice.recipients.entries()) {
        const content = provinceBatch(notice.program, {
          batchId: notice.batchId,
          unit: notice.unit,
          filings,
          batchUrl: notice.links[i] ?? '',
        });
        await send(mailer, recipient.email, content, notice.mailId);
      }
    },

    async failure(notice) {
      logger.error('alert: filing workflow failure', {
        filingId: notice.filingId,
        state: notice.state,
        error: notice.error,
      });
      if (!alertTo) return;
      const content = failureAlert(getProgram(notice.programId), {
        filingId: notice.filingId,
        state: notice.state,
        errorName: notice.error,
        at: new Date().toISOString(),
        // Where an operator looks: the local executions page, or the Step Functions console.
        url: env[ALERT_CONSOLE_URL_ENV] ?? 'https://console.amazonaws.cn/states/home',
      });
      await send(mailer, alertTo, content);
    },
  };
}
