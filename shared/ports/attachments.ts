// The ports through which use cases reach the attachment bucket (S3 in the cloud, s3rver under
// `npm start`): what a stored object is (size and first bytes), copying an upload under its
// filing, deleting, and the presigned URLs for the browser's upload and the reviewer's view.
// Adapters: shared/adapters/s3-attachments.ts (objects) and s3-presign.ts (URLs).
import type { AttachmentKind, AttachmentType, ObjectFacts } from '../domain/attachments.ts';

export interface AttachmentStore {
  /** Size and first bytes of an object; undefined when there is none. */
  inspect(key: string): Promise<ObjectFacts | undefined>;
  /** Copies `from` to `to` unless `to` exists already: repeating it changes nothing. */
  copy(from: string, to: string): Promise<void>;
  /** Deletes these objects (missing ones are fine). */
  delete(keys: readonly string[]): Promise<void>;
  /** Deletes every object under a prefix (a filing's documents), returning how many there were. */
  deletePrefix(prefix: string): Promise<number>;
}

export interface PresignedUpload {
  /** The form's action: the browser POSTs multipart/form-data here. */
  url: string;
  /** Fields to send before the `file` field, as they are. */
  fields: Record<string, string>;
  expiresAt: string;
}

export interface AttachmentLinks {
  /** A presigned POST limited by policy to this key, this content type and the size limit. */
  presignUpload(input: { key: string; contentType: string; maxBytes: number }): Promise<PresignedUpload>;
  /**
   * A presigned GET that shows the document inline, valid for `seconds`, named by its kind and
   * type (servedFilename): the uploaded name is never asked for, so it can never be served.
   */
  presignView(input: {
    key: string;
    kind: AttachmentKind;
    contentType: AttachmentType;
    seconds: number;
  }): Promise<{ url: string; expiresAt: string }>;
}
