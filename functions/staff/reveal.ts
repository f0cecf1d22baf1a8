// POST /staff/filings/{filingId}/reveal { fields, reason }: the unmasked ID number or mobile,
// after the access is written to the audit log.

import { httpHandler } from '#shared/http/handler.ts';
import { RevealRequestSchema, revealFields } from '#shared/use-cases/staff/staff-filings.ts';
import { staffRevealServices } from '#shared/wiring/staff-reveal-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({ body: RevealRequestSchema }, async (req) => ({
  statusCode: 200,
  body: await revealFields(
    staffRevealServices(),
    staffPrincipal(req.claims),
    req.pathParameters.filingId ?? '',
    req.body,
  ),
  headers: { 'cache-control': 'no-store' },
}));
