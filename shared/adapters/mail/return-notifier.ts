// The annual return's ReturnNotifier on a Mailer: each enterprise's request or reminder to its
// recipients, each reviewer's summary with their own link, the results, and failures to the
// operators (ALERT_EMAIL) as well as the log.

import { ALERT_CONSOLE_URL_ENV, ALERT_EMAIL_ENV } from '../../config/env.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { logger } from '../../observability/logger.ts';
import type { Mailer } from '../../ports/mailer.ts';
import type { ReturnNotifier } from '../../ports/returns.ts';
import {
  type ReturnEmail,
  returnEscalation,
  returnFailure,
  returnReminder,
  returnRequest,
  returnResults,
  returnSummary,
} from '../../views/return-mails.ts';

export function mailReturnNotifier(mailer: Mailer, env: NodeJS.ProcessEnv = process.env): ReturnNotifier {
  const send = (to: string[], content: ReturnEmail) =>
    mailer.send({
      to,
      subject: content.subject,
      text: content.text,
      html: content.html,
      kind: content.kind,
      links: content.links,
    });
  return {
    async enterprise(notice) {
      const build = notice.kind === 'notify' ? returnRequest : returnReminder;
      await send(
        notice.enterprise.recipients,
        build(notice.program, {
          year: notice.year,
          enterprise: notice.enterprise,
          deadline: notice.deadline,
          url: notice.link,
        }),
      );
    },
    async summary(notice) {
      const build = notice.kind === 'escalate' ? returnEscalation : returnSummary;
      for (const [i, recipient] of notice.recipients.entries()) {
        await send(
          [recipient.email],
          build(notice.program, {
            year: notice.year,
            unit: notice.unit,
            results: notice.results,
            deadline: notice.deadline,
            url: notice.links[i] ?? '',
          }),
        );
      }
    },
    async results(notice) {
      const content = returnResults(notice.program, notice.year, notice.units);
      for (const recipient of notice.recipients) await send([recipient.email], content);
    },
    async failure(notice) {
      logger.error('alert: annual return failure', notice);
      const alertTo = env[ALERT_EMAIL_ENV];
      if (!alertTo) return;
      await send(
        [alertTo],
        returnFailure(getProgram(notice.programId), {
          year: notice.year,
          ...(notice.unit ? { unit: notice.unit } : {}),
          error: notice.error,
          at: new Date().toISOString(),
          url: env[ALERT_CONSOLE_URL_ENV] ?? 'https://console.amazonaws.cn/states/home',
        }),
      );
    },
  };
}
