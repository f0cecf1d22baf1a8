// The outbox's delivery function, for the CDK app (infra/constructs/outbox.ts, one entry of the
// function table) and the local runtime's stream reader: both run the same handler module.
export const OUTBOX_FUNCTION = {
  id: 'OutboxDeliver',
  handler: 'functions/outbox/deliver.ts',
  description:
    'Delivers the outbox from the table stream: starts a submitted filing’s review, answers an amendment’s wait',
} as const;

// The mailer function: sends every queued message (the Mail items' INSERTs on the stream).
export const MAILER_FUNCTION = {
  id: 'Mailer',
  handler: 'functions/outbox/mail.ts',
  description: 'Sends every mail, once per message id, from the queued messages on the table stream',
} as const;
