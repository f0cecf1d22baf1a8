// The one table: keys, the indexes, the TTL attribute and the stream, in one place. The CDK stack and the
// local runtime both build the table from this definition.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  /** The stream the outbox is delivered from (outbox-item.ts): new images, filtered by kind. */
  stream: 'NEW_IMAGE',
  indexes: {
    /** Filings of a reporting unit, newest first: gsi1pk = PROGRAM#p#UNIT#u, gsi1sk = createdAt#filingId. */
    filingsByUnit: {
      name: 'filingsByUnit',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      projection: 'KEYS_ONLY',
    },
    /**
     * Province tasks not yet sent in a batch nor decided (sparse: only those items carry the
     * keys): gsi2pk = PROGRAM#p#UNIT#u, gsi2sk = filingId. The weekly batch reads just these.
     */
    awaitingBatch: {
      name: 'awaitingBatch',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: 'KEYS_ONLY',
    },
    /**
     * Staff search within a unit by the start of a credit code or of an enterprise name:
     * gsi3pk = PROGRAM#p#UNIT#u, gsi3sk = CREDIT#<code>#createdAt#filingId on the filing's body
     * and NAME#<normalized name>#createdAt#filingId on its FilingName item (filing-search-item.ts).
     * Enterprise data only: nothing about the person is in a key.
     */
    filingSearch: {
      name: 'filingSearch',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      projection: 'KEYS_ONLY',
    },
  },
} as const;

export type IndexName = keyof typeof TABLE.indexes;

/** CreateTable input for DynamoDB Local (on-demand billing, as in the cloud). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const indexes = Object.values(TABLE.indexes);
  const keyAttributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of indexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map(indexInput),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
  };
}

/** One index as CreateTable and UpdateTable take it. */
export function indexInput(index: (typeof TABLE.indexes)[IndexName]) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: index.projection },
  };
}
