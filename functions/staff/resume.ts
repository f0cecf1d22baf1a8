// POST /staff/filings/{filingId}/resume { reason }: province staff restart the review of a
// filing whose workflow failed (recorded on the filing, alerted). 202 with the execution that
// runs; a repeat answers `already_resumed` with the same one and starts nothing new.

import { httpHandler } from '#shared/http/handler.ts';
import { ResumeRequestSchema, resumeReview } from '#shared/use-cases/staff/resume-review.ts';
import { staffResumeServices } from '#shared/wiring/staff-resume-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({ body: ResumeRequestSchema }, async (req) => ({
  statusCode: 202,
  body: await resumeReview(
    staffResumeServices(),
    staffPrincipal(req.claims),
    req.pathParameters.filingId ?? '',
    req.body,
  ),
  headers: { 'cache-control': 'no-store' },
}));
