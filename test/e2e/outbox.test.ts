// The outbox on the local runtime: a submission's review is started from the table's stream
// (the execution named by the filing id) and its review mail follows; and when the HTTP side
// dies right after the filing's write, before anything else, the restarted runtime still starts
// that review, and the review mail arrives exactly once.
import { describe, expect, it } from 'vitest';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver } from './driver.ts';

async function reviewMailsFor(api: ApiDriver, filingId: string) {
  const mails = (await api.outbox()).filter((m) => m.kind === 'review_request');
  const pages = await Promise.all(mails.map(async (m) => (await api.reviewPage(m.links[0] ?? '')).text));
  return mails.filter((_m, i) => pages[i]?.includes(filingId));
}

describe('the outbox on the local runtime', () => {
  it('starts a submission’s review from the stream: one execution named by the filing id, and the review mail', async () => {
    const runtime = await startRuntime();
    try {
      const api = apiDriver(runtime);
      const res = await api.submit('liaoning-cso', validFiling({ n: 881_001 }));
      expect(res.status).toBe(201);
      const { filingId } = res.body as { filingId: string };
      const items = await api.tableItems();
      expect(items.filter((i) => i.type === 'Outbox' && i.filingId === filingId).map((i) => i.kind)).toEqual([
        'review.start',
      ]);
      await api.waitForMail('review_request');
      await api.settled();
      expect((await api.executions()).filter((e) => e.name === filingId)).toHaveLength(1);
      expect(await reviewMailsFor(api, filingId)).toHaveLength(1);
    } finally {
      await runtime.stop();
    }
  });

  it('after the runtime died right after a submission’s write, the restarted runtime starts its review once', async () => {
    // The HTTP side ends the process right after the filing's transaction (a local-only test hook).
    const first = await startRuntime({ LOCAL_EXIT_AFTER_SUBMIT_WRITE: '1' });
    let second: Runtime | undefined;
    try {
      const api = apiDriver(first);
      const answer = await api.submit('liaoning-cso', validFiling({ n: 881_101 })).catch((e: Error) => e);
      // No answer came: the process was gone before it could give one.
      expect(answer).toBeInstanceOf(Error);
      const stored = (await api.tableItems()).filter((i) => i.type === 'Outbox' && i.kind === 'review.start');
      expect(stored).toHaveLength(1);
      const filingId = String(stored[0]?.filingId);
      await first.stop({ keepData: true });

      second = await startRuntime({}, first.localDir);
      const api2 = apiDriver(second);
      await api2.waitForMail('review_request');
      await api2.settled();
      expect((await api2.executions()).filter((e) => e.name === filingId)).toHaveLength(1);
      expect((await api2.outbox()).filter((m) => m.kind === 'review_request')).toHaveLength(1);
      expect(await reviewMailsFor(api2, filingId)).toHaveLength(1);
      // The filing is in city review, as any other.
      expect(
        (await api2.tableItems()).some(
          (i) => i.pk === `FILING#${filingId}` && i.type === 'FilingEvent' && i.to === 'city_review',
        ),
      ).toBe(true);
    } finally {
      await second?.stop();
      await first.stop();
    }
  });
});
