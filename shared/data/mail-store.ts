// DynamoDB adapter of the MailQueue port, on the Mail items (mail-item.ts). Every change is
// conditional: a message is queued once, claimed by one delivery at a time, and sent once.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MailQueue } from '../ports/mail-queue.ts';
import { type MailItem, mailKey, messageOf, toMailItem } from './mail-item.ts';

export function createMailStore(opts: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}): MailQueue {
  const { doc, tableName } = opts;
  const now = opts.now ?? (() => new Date());
  const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException;

  return {
    async queue(message) {
      const item = toMailItem(message, now());
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // Queued before (a retried step, a double click): the same message, mailed once.
        if (!conditionFailed(error)) throw error;
      }
      return item.id;
    },

    async claim(id, holdMs) {
      const at = now().getTime();
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailKey(id),
            UpdateExpression: 'SET claimedUntil = :until',
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(sentAt) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
            ExpressionAttributeValues: { ':until': at + holdMs, ':now': at },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const message = messageOf(out.Attributes as MailItem);
        if (!message) return { state: 'sent' };
        return { state: 'claimed', message };
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        const current = await doc.send(
          new GetCommand({ TableName: tableName, Key: mailKey(id), ConsistentRead: true }),
        );
        const item = current.Item as MailItem | undefined;
        if (!item) return { state: 'missing' };
        if (item.sentAt) return { state: 'sent' };
        return { state: 'held' };
      }
    },

    async markSent(id, relayId) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: mailKey(id),
          UpdateExpression: 'SET sentAt = :at, relayId = :relay REMOVE body, claimedUntil',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': now().toISOString(), ':relay': relayId },
        }),
      );
    },

    async release(id) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailKey(id),
            UpdateExpression: 'REMOVE claimedUntil',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sentAt)',
          }),
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    },
  };
}
