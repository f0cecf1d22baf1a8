// GET /staff/filings/{filingId}: one filing, masked, with its history and short-lived view
// links for its documents (their issue is written to the access log).
import { attachmentLinkSeconds, attachmentLinks } from '#shared/adapters/attachment-links.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { filingDetail } from '#shared/use-cases/staff/staff-filings.ts';
import { staffPrincipal, staffServices } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await filingDetail(
    { ...staffServices(), attachments: { links: attachmentLinks(), seconds: attachmentLinkSeconds() } },
    staffPrincipal(req.claims),
    req.pathParameters.filingId ?? '',
  ),
  headers: { 'cache-control': 'no-store' },
}));
