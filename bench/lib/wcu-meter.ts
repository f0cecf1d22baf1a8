// Meters write capacity by AWS's published rules on the real requests an application makes,
// because DynamoDB Local under-reports transactions (a four-item TransactWriteItems reports 2
// units where AWS charges about 8). It is a middleware on the client: before each write it
// reads the before-images of the items it touches, after it the after-images, and charges
//   - PutItem / UpdateItem: ceil(max(before, after) / 1 KB); DeleteItem: ceil(before / 1 KB)
//   - inside TransactWriteItems: twice that per item (ConditionCheck included)
//   - each global secondary index: 1 unit per KB of index entry written; a key change is a
//     delete plus a put; an update that changes no index key (KEYS_ONLY) writes nothing.
// Item size: attribute names plus values (UTF-8 strings, binary length, numbers ~1 byte per
// two digits + 1, 1 byte for booleans and null, 3 bytes + 1 per element for lists and maps).
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

export interface IndexKeys {
  partitionKey: string;
  sortKey: string;
}

export interface MeterEntry {
  command: string;
  label: string;
  tableWcu: number;
  indexWcu: number;
  items: number;
  /** The units by item type (`<pk prefix>/<sk prefix>`, as `FILING/EVENT`), index writes included. */
  byType: Record<string, number>;
}

/** The type of an item from its key: the prefixes of partition and sort key (`FILING/EVENT`). */
export function itemType(key: Record<string, AttributeValue>, pkName = 'pk', skName = 'sk'): string {
  const prefix = (value: AttributeValue | undefined) => (value?.S ?? '?').split('#')[0];
  return `${prefix(key[pkName])}/${prefix(key[skName])}`;
}

export function attributeSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) {
    const digits = value.N.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.ceil(Math.max(1, digits.length) / 2) + 1;
  }
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + attributeSize({ N: s }), 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + attributeSize(v), 0);
  if (value.M !== undefined) {
    return (
      3 +
      Object.entries(value.M).reduce(
        (n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + attributeSize(v),
        0,
      )
    );
  }
  return 0;
}

export function itemSize(item: Record<string, AttributeValue> | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + attributeSize(v), 0);
}

const units = (bytes: number) => (bytes === 0 ? 0 : Math.ceil(bytes / 1024));

type Key = Record<string, AttributeValue>;
interface Touch {
  table: string;
  key: Key;
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
}

export interface WcuMeter {
  /** Wraps a client so that its writes are metered. */
  attach(client: DynamoDBClient): void;
  /**
   * Meters one request given its operation (`PutItem` or `PutItemCommand`) and low-level input
   * (binary values as Uint8Array), around `send`, which performs it.
   */
  meter<T>(operation: string, input: Record<string, unknown>, send: () => Promise<T>): Promise<T>;
  /** Labels the following writes (a lifecycle step). */
  label(name: string): void;
  entries: MeterEntry[];
  total(label?: string): number;
  /** The units of every entry so far by item type. */
  byType(): Record<string, number>;
  reset(): void;
}

export function createWcuMeter(options: {
  endpoint: string;
  region?: string;
  keyAttributes: [string, string];
  indexes: IndexKeys[];
  /** Items not to charge (e.g. the local engine's own table, which AWS does not have). */
  ignore?: (key: Record<string, AttributeValue>, table: string) => boolean;
}): WcuMeter {
  const reader = new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const [pkName, skName] = options.keyAttributes;
  const entries: MeterEntry[] = [];
  let current = 'default';

  const keyOf = (item: Key): Key => {
    const key: Key = {};
    for (const name of [pkName, skName]) if (item[name]) key[name] = item[name];
    return key;
  };

  async function read(touch: Touch): Promise<Key | undefined> {
    const out = await reader.send(
      new GetItemCommand({ TableName: touch.table, Key: touch.key, ConsistentRead: true }),
    );
    return out.Item;
  }

  function indexCost(before: Key | undefined, after: Key | undefined): number {
    let cost = 0;
    for (const index of options.indexes) {
      const keyBefore = before?.[index.partitionKey] && before[index.sortKey];
      const keyAfter = after?.[index.partitionKey] && after[index.sortKey];
      const entrySize = (item: Key) =>
        [pkName, skName, index.partitionKey, index.sortKey].reduce(
          (n, a) => n + (item[a] ? Buffer.byteLength(a) + attributeSize(item[a] as AttributeValue) : 0),
          0,
        );
      const same =
        before &&
        after &&
        JSON.stringify([before[index.partitionKey], before[index.sortKey]]) ===
          JSON.stringify([after[index.partitionKey], after[index.sortKey]]);
      if (keyBefore && !same && before) cost += units(entrySize(before)); // delete the old entry
      if (keyAfter && !same && after) cost += units(entrySize(after)); // put the new entry
    }
    return cost;
  }

  function touches(operation: string, input: Record<string, unknown>): Touch[] {
    const command = operation.endsWith('Command') ? operation : `${operation}Command`;
    const table = String(input.TableName ?? '');
    switch (command) {
      case 'PutItemCommand':
        return [{ table, key: keyOf(input.Item as Key), kind: 'Put' }];
      case 'UpdateItemCommand':
        return [{ table, key: input.Key as Key, kind: 'Update' }];
      case 'DeleteItemCommand':
        return [{ table, key: input.Key as Key, kind: 'Delete' }];
      case 'TransactWriteItemsCommand':
        return (input.TransactItems as Record<string, Record<string, unknown>>[]).map((t) => {
          const [kind, op] = Object.entries(t)[0] as [Touch['kind'], Record<string, unknown>];
          const key = kind === 'Put' ? keyOf(op.Item as Key) : (op.Key as Key);
          return { table: String(op.TableName), key, kind };
        });
      case 'BatchWriteItemCommand':
        return Object.entries(
          input.RequestItems as Record<string, Record<string, Record<string, unknown>>[]>,
        ).flatMap(([t, requests]) =>
          requests.map((r) =>
            r.PutRequest
              ? { table: t, key: keyOf(r.PutRequest.Item as Key), kind: 'Put' as const }
              : {
                  table: t,
                  key: (r.DeleteRequest as Record<string, unknown>).Key as Key,
                  kind: 'Delete' as const,
                },
          ),
        );
      default:
        return [];
    }
  }

  return {
    entries,
    label(name) {
      current = name;
    },
    reset() {
      entries.length = 0;
    },
    byType() {
      const out: Record<string, number> = {};
      for (const e of entries)
        for (const [type, n] of Object.entries(e.byType)) out[type] = (out[type] ?? 0) + n;
      return out;
    },
    total(label) {
      return entries
        .filter((e) => !label || e.label === label)
        .reduce((n, e) => n + e.tableWcu + e.indexWcu, 0);
    },
    async meter(operation, input, send) {
      const list = touches(operation, input).filter((t) => !options.ignore?.(t.key, t.table));
      if (list.length === 0) return send();
      const before = await Promise.all(list.map(read));
      const result = await send();
      const after = await Promise.all(list.map(read));
      const factor = operation.startsWith('TransactWriteItems') ? 2 : 1;
      let tableWcu = 0;
      let indexWcu = 0;
      const byType: Record<string, number> = {};
      list.forEach((touch, i) => {
        const b = before[i];
        const a = after[i];
        const size = touch.kind === 'Delete' ? itemSize(b) : Math.max(itemSize(b), itemSize(a));
        const table = factor * Math.max(1, units(size));
        const index = touch.kind === 'ConditionCheck' ? 0 : indexCost(b, a);
        tableWcu += table;
        indexWcu += index;
        const type = itemType(touch.key, pkName, skName);
        byType[type] = (byType[type] ?? 0) + table + index;
      });
      entries.push({ command: operation, label: current, tableWcu, indexWcu, items: list.length, byType });
      return result;
    },
    attach(client) {
      client.middlewareStack.add(
        (next, context) => async (args) =>
          this.meter(
            String((context as { commandName?: string }).commandName),
            args.input as Record<string, unknown>,
            () => next(args),
          ),
        { step: 'build', name: 'wcuMeter' },
      );
    },
  };
}
