// The port through which use cases send email (review links, applicant notices, batches,
// alerts, reports). Adapters: SES v2 in the cloud, SMTP as a setting, and locally an outbox
// of .eml files browsable at /_local/outbox.
export interface MailAttachment {
  filename: string;
  content: string | Uint8Array;
  contentType: string;
}

export interface MailMessage {
  /**
   * The message's id: a message is mailed once per id, however often it is handed over (a
   * retried workflow step hands over the same one). Without it, the id follows from the kind,
   * recipients, subject and text.
   */
  id?: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** What kind of message this is (review_request, reminder, batch, …): for the outbox and metrics. */
  kind: string;
  /** Links the message carries, listed by the local outbox so tests and people can follow them. */
  links?: string[];
  attachments?: MailAttachment[];
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}
