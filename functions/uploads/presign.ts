// POST /programs/{programId}/uploads: a presigned POST for one attachment (PDF, JPEG or PNG, ≤ 5 MB).
import { attachmentLinks } from '#shared/adapters/attachment-links.ts';
import { UploadRequestSchema } from '#shared/domain/attachments.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { presignUpload } from '#shared/use-cases/presign-upload.ts';

export const handler = httpHandler({ body: UploadRequestSchema }, async (req) => ({
  statusCode: 200,
  body: await presignUpload(
    { links: attachmentLinks() },
    { programId: req.pathParameters.programId ?? '', request: req.body },
  ),
  headers: { 'cache-control': 'no-store' },
}));
