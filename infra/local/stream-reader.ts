// The local stand-in for the DynamoDB Streams → Lambda event-source mapping of the outbox
// (infra/constructs/outbox.ts): it polls the shards of the table's stream on DynamoDB Local,
// keeps only the records that pass the same filter patterns, and hands them, in order and in
// the event shape Lambda uses, to the same handler module. After each batch it saves how far it
// got (the last sequence number per shard, in a file under the runtime's directory), so a
// restarted runtime resumes where it was: nothing is lost, and what is read twice is harmless
// (every consequence is idempotent). A failed record is retried with a growing pause, from that
// record on, and after `maxAttempts` set aside in a file (the cloud's on-failure queue).
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesFilter } from '#shared/data/outbox-item.ts';

export interface StreamReaderOptions {
  ddb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  /** Lambda filter patterns: a record passing any of them is delivered. */
  filters: readonly Record<string, unknown>[];
  /** The consumer (the handler module Lambda runs), with Lambda's batch-failure answer. */
  handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse | undefined>;
  /** The file the position per shard is kept in. */
  positionFile: string;
  /** Where records that failed `maxAttempts` times are set aside (JSON lines). */
  failureFile: string;
  /** Attempts of one record before it is set aside (default 8). */
  maxAttempts?: number;
  /** The pause between polls when nothing is asked (ms; default 250). */
  intervalMs?: number;
  /**
   * Whether a record set aside keeps its new image in the failure file (outbox items hold ids
   * and kinds only; a queued mail holds a message to people, so only its keys are kept).
   */
  keepImages?: boolean;
  /** The consumer's name, in its log lines. */
  name?: string;
  log?: (message: string) => void;
}

/** Positions of one stream: shard id → the last sequence number handled, or "closed" once read to its end. */
type Positions = Record<string, string>;
const CLOSED = 'closed';

export class LocalStreamReader {
  private streamArn: string | undefined;
  private positions: Positions = {};
  private readonly iterators = new Map<string, string>();
  private readonly failures = new Map<string, { attempts: number; notBefore: number }>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Whether the last poll left a record undelivered (failed, waiting for its retry). */
  private behind = false;
  private delivered = 0;
  private lastPollError: string | undefined;

  private readonly options: StreamReaderOptions;

  constructor(options: StreamReaderOptions) {
    this.options = options;
  }

  start(): void {
    this.stopped = false;
    const loop = async () => {
      await this.poll().then(
        () => {
          this.lastPollError = undefined;
        },
        (error: Error) => {
          // Once per kind of failure (DynamoDB Local down a while is one line, not four a second).
          const text = `${this.options.name ?? 'stream'} poll failed: ${error.name}: ${error.message}`;
          if (text !== this.lastPollError) this.log(text);
          this.lastPollError = text;
        },
      );
      if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs ?? 250);
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Reads every shard to its current end now (after a poll already under way), delivering what
   * passes the filters: what was written before the call is delivered when it resolves, unless
   * a record failed (then `behind` is true and it waits for its retry).
   */
  async drain(): Promise<{ behind: boolean; delivered: number }> {
    await this.poll();
    return this.status();
  }

  /** How far it is, without waiting: whether the last poll left a record behind, and how many it delivered. */
  status(): { behind: boolean; delivered: number } {
    return { behind: this.behind, delivered: this.delivered };
  }

  /** The consumer's name (the function it feeds). */
  get name(): string {
    return this.options.name ?? 'stream';
  }

  /** One pass over the shards; passes never overlap. */
  poll(): Promise<void> {
    const run = this.chain.then(() => this.pollOnce());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private log(message: string) {
    (this.options.log ?? console.error)(message);
  }

  private async pollOnce(): Promise<void> {
    const streamArn = await this.stream();
    if (!streamArn) return;
    this.behind = false;
    // Parents before children: a shard's records come before those of the shards split from it.
    const shards = (await this.shards(streamArn)).sort((a, b) =>
      compareSequence(
        a.SequenceNumberRange?.StartingSequenceNumber,
        b.SequenceNumberRange?.StartingSequenceNumber,
      ),
    );
    for (const shard of shards) {
      const shardId = shard.ShardId;
      if (!shardId || this.positions[shardId] === CLOSED) continue;
      await this.readShard(streamArn, shardId);
    }
  }

  private async stream(): Promise<string | undefined> {
    if (this.streamArn) return this.streamArn;
    const out = await this.options.ddb.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    const arn = out.Table?.LatestStreamArn;
    if (!arn) return undefined;
    this.streamArn = arn;
    this.positions = this.loadPositions(arn);
    return arn;
  }

  private async shards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.options.streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(start ? { ExclusiveStartShardId: start } : {}),
        }),
      );
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private async iterator(streamArn: string, shardId: string): Promise<string | undefined> {
    const known = this.iterators.get(shardId);
    if (known) return known;
    const after = this.positions[shardId];
    try {
      const out = await this.options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return out.ShardIterator;
    } catch (error) {
      // The saved position is older than the stream keeps (24 h): from the oldest record on.
      if (!(error instanceof TrimmedDataAccessException) || !after) throw error;
      this.log(
        `stream shard ${shardId}: records after the saved position were trimmed; reading from the oldest`,
      );
      delete this.positions[shardId];
      return this.iterator(streamArn, shardId);
    }
  }

  private async readShard(streamArn: string, shardId: string): Promise<void> {
    for (;;) {
      const iterator = await this.iterator(streamArn, shardId);
      if (!iterator) return;
      let out: Awaited<ReturnType<typeof this.getRecords>>;
      try {
        out = await this.getRecords(iterator);
      } catch (error) {
        this.iterators.delete(shardId);
        if (error instanceof ExpiredIteratorException) continue;
        throw error;
      }
      const records = out.Records ?? [];
      if (records.length > 0) {
        const handled = await this.deliver(streamArn, records);
        if (handled) this.savePosition(shardId, handled);
        if (handled !== records.at(-1)?.dynamodb?.SequenceNumber) {
          // Stopped at a failed record: next time from the record after the last one handled.
          this.iterators.delete(shardId);
          this.behind = true;
          return;
        }
      }
      if (!out.NextShardIterator) {
        this.iterators.delete(shardId);
        this.savePosition(shardId, CLOSED);
        return;
      }
      this.iterators.set(shardId, out.NextShardIterator);
      if (records.length === 0) return;
    }
  }

  private getRecords(iterator: string) {
    return this.options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
  }

  /**
   * Delivers the records that pass the filters, one at a time and in order; returns the sequence
   * number of the last record handled (delivered, filtered out, or set aside after its last
   * attempt). It stops at a record that failed or waits for its retry.
   */
  private async deliver(streamArn: string, records: StreamRecord[]): Promise<string | undefined> {
    let handled: string | undefined;
    for (const record of records) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      const lambdaRecord = toLambdaRecord(streamArn, record);
      if (this.options.filters.some((f) => matchesFilter(lambdaRecord, f))) {
        const wait = this.failures.get(sequence);
        if (wait && Date.now() < wait.notBefore) return handled;
        if (await this.invoke(lambdaRecord)) {
          this.failures.delete(sequence);
          this.delivered++;
        } else if (!this.giveUp(record)) {
          return handled;
        }
      }
      handled = sequence;
    }
    return handled;
  }

  /** Whether the handler took the record (no batch-item failure, nothing thrown). */
  private async invoke(record: DynamoDBStreamEvent['Records'][number]): Promise<boolean> {
    try {
      // A JSON round trip, as Lambda serializes the event.
      const answer = await this.options.handler(JSON.parse(JSON.stringify({ Records: [record] })));
      return (answer?.batchItemFailures ?? []).length === 0;
    } catch (error) {
      // A handler that throws fails its whole batch.
      this.log(
        `${this.options.name ?? 'stream'} delivery threw: ${(error as Error).name}: ${(error as Error).message}`,
      );
      return false;
    }
  }

  /** Counts a failed attempt of a record; true when it has had its last one (it is set aside). */
  private giveUp(record: StreamRecord): boolean {
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    const attempts = (this.failures.get(sequence)?.attempts ?? 0) + 1;
    const max = this.options.maxAttempts ?? 8;
    if (attempts < max) {
      this.failures.set(sequence, {
        attempts,
        notBefore: Date.now() + Math.min(10_000, 100 * 2 ** attempts),
      });
      return false;
    }
    this.failures.delete(sequence);
    this.log(
      `${this.options.name ?? 'stream'} record ${sequence} failed ${attempts} times; set aside in ${this.options.failureFile}`,
    );
    const image = this.options.keepImages === false ? {} : { newImage: record.dynamodb?.NewImage };
    appendFileSync(
      this.options.failureFile,
      `${JSON.stringify({ at: new Date().toISOString(), sequenceNumber: sequence, keys: record.dynamodb?.Keys, ...image })}\n`,
    );
    return true;
  }

  private loadPositions(streamArn: string): Positions {
    if (!existsSync(this.options.positionFile)) return {};
    try {
      const all = JSON.parse(readFileSync(this.options.positionFile, 'utf8')) as Record<string, Positions>;
      return all[streamArn] ?? {};
    } catch {
      this.log(
        `stream positions in ${this.options.positionFile} unreadable; reading every shard from its oldest record`,
      );
      return {};
    }
  }

  private savePosition(shardId: string, position: string): void {
    if (!this.streamArn || this.positions[shardId] === position) return;
    this.positions[shardId] = position;
    // Only this stream's positions are kept: a table made anew (npm start --reset) has a new stream.
    const tmp = `${this.options.positionFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ [this.streamArn]: this.positions }));
    renameSync(tmp, this.options.positionFile);
  }
}

/** Sequence numbers are decimal strings of up to 40 digits: compared by length, then text. */
function compareSequence(a = '', b = ''): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** A record as Lambda passes it (the stream's record, with its source and creation time in epoch seconds). */
function toLambdaRecord(streamArn: string, record: StreamRecord): DynamoDBStreamEvent['Records'][number] {
  const { ApproximateCreationDateTime: created, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb as NonNullable<DynamoDBStreamEvent['Records'][number]['dynamodb']>),
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
    },
  };
}

/**
 * The stream's consumers for `npm start`, as the CDK app maps them (infra/constructs/outbox.ts):
 * the outbox's delivery (workflow starts, amendment answers) and the mailer (queued mail), each
 * with its own filters, position and failure file, so a relay that refuses holds back mail only.
 * The table's stream on the runtime's DynamoDB Local, the same handler modules.
 */
export async function startLocalOutbox(options: {
  root: string;
  tableName: string;
  localDir: string;
}): Promise<LocalStreamReader[]> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBStreamsClient } = await import('@aws-sdk/client-dynamodb-streams');
  const { OUTBOX_FILTERS } = await import('#shared/data/outbox-item.ts');
  const { MAIL_FILTER } = await import('#shared/data/mail-item.ts');
  const { MAILER_FUNCTION, OUTBOX_FUNCTION } = await import('#shared/use-cases/outbox/function.ts');
  // The streams client is not pointed at DynamoDB Local by AWS_ENDPOINT_URL_DYNAMODB: it is named here.
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const consumers = [
    {
      fn: OUTBOX_FUNCTION,
      filters: Object.values(OUTBOX_FILTERS),
      file: 'outbox',
      maxAttempts: 8,
      keepImages: true,
    },
    // A relay may refuse for a long while: a mail is retried (every 10 s at most) for about an
    // hour before it is set aside, as the cloud's mapping retries it for up to a day.
    { fn: MAILER_FUNCTION, filters: [MAIL_FILTER], file: 'mail', maxAttempts: 400, keepImages: false },
  ];
  const readers: LocalStreamReader[] = [];
  for (const c of consumers) {
    const mod = (await import(join(options.root, c.fn.handler))) as {
      handler: StreamReaderOptions['handler'];
    };
    const reader = new LocalStreamReader({
      ddb: new DynamoDBClient({}),
      streams: new DynamoDBStreamsClient(endpoint ? { endpoint } : {}),
      tableName: options.tableName,
      filters: c.filters,
      handler: mod.handler,
      positionFile: join(options.localDir, `${c.file}-stream.json`),
      failureFile: join(options.localDir, `${c.file}-failed.jsonl`),
      maxAttempts: c.maxAttempts,
      keepImages: c.keepImages,
      name: c.fn.id,
    });
    reader.start();
    readers.push(reader);
  }
  return readers;
}
