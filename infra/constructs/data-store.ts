// The filing table and its keys: the table from the shared definition (the one the local
// runtime creates), on-demand, point-in-time recovery, deletion protection, retained, under a
// customer-managed KMS key; the field-encryption key for ID numbers (AWS Encryption SDK data
// keys) and the HMAC key for person keys and receipt tokens.
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '#shared/data/table.ts';
import { acknowledge } from '../nag.ts';

export class DataStore extends Construct {
  readonly table: TableV2;
  readonly tableKey: Key;
  readonly fieldKey: Key;
  readonly hmacKey: Key;

  /** `tableName`: the table's physical name (infra/names.ts), which the stateless stack computes too. */
  constructor(scope: Construct, id: string, props: { tableName: string }) {
    super(scope, id);
    this.tableKey = new Key(this, 'TableKey', {
      description: 'Filing table encryption at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fieldKey = new Key(this, 'FieldKey', {
      description: 'Wraps the data keys that encrypt ID numbers (AWS Encryption SDK)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.hmacKey = new Key(this, 'PersonHmacKey', {
      description: 'HMAC for person keys (duplicate check) and receipt tokens',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.hmacKey,
      'AwsSolutions-KMS5',
      'KMS does not rotate HMAC keys; a new key would change every person key and receipt token already issued, so rotation is a migration, not a setting.',
    );

    const indexes = Object.values(TABLE.indexes);
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryptionV2.customerManagedKey(this.tableKey),
      timeToLiveAttribute: TABLE.ttlAttribute,
      // The outbox is delivered from it (infra/constructs/outbox.ts).
      dynamoStream: StreamViewType[TABLE.stream],
      globalSecondaryIndexes: indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      })),
    });
  }
}
