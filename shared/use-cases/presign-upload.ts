// The first step of attaching a document: the browser says what it is about to upload and
// gets a presigned POST for a fresh key under `uploads/<programId>/`, limited by its policy to
// that key, that content type and the size limit. Nothing is stored until the browser
// uploads; the filing then refers to the key, and submit checks the object itself.
import { MAX_ATTACHMENT_BYTES, newUploadKey, type UploadRequest } from '../domain/attachments.ts';
import { getProgram } from '../domain/programs/index.ts';
import { logger } from '../observability/logger.ts';
import type { AttachmentLinks } from '../ports/attachments.ts';

export async function presignUpload(
  deps: { links: AttachmentLinks },
  input: { programId: string; request: UploadRequest },
) {
  const program = getProgram(input.programId);
  const key = newUploadKey(program.id);
  const upload = await deps.links.presignUpload({
    key,
    contentType: input.request.contentType,
    maxBytes: MAX_ATTACHMENT_BYTES,
  });
  logger.info('upload presigned', { programId: program.id, kind: input.request.kind });
  return {
    key,
    kind: input.request.kind,
    contentType: input.request.contentType,
    maxBytes: MAX_ATTACHMENT_BYTES,
    url: upload.url,
    fields: upload.fields,
    expiresAt: upload.expiresAt,
  };
}
