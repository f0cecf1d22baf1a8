// copyUploads with a fake store: a failed copy is reported only once every other copy has
// settled, so that the caller's clean-up (deleting the copies) never runs before a copy lands.
import { describe, expect, it } from 'vitest';
import type { AttachmentStore } from '../ports/attachments.ts';
import { copyUploads } from './attachments.ts';

function slowStore(events: string[]): AttachmentStore {
  return {
    async inspect() {
      return undefined;
    },
    async copy(from, to) {
      if (from === 'uploads/bad') {
        events.push('failed');
        throw Object.assign(new Error('copy failed'), { name: 'InternalError' });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`landed ${to}`);
    },
    async delete() {},
    async deletePrefix() {
      return 0;
    },
  };
}

describe('copyUploads', () => {
  it('reports a failed copy only after the other copies have landed', async () => {
    const events: string[] = [];
    const plan = {
      stored: [],
      copies: [
        { from: 'uploads/bad', to: 'filings/F1/a.pdf' },
        { from: 'uploads/good', to: 'filings/F1/b.pdf' },
      ],
    };
    await expect(copyUploads(slowStore(events), plan)).rejects.toThrow('copy failed');
    events.push('reported');
    expect(events).toEqual(['failed', 'landed filings/F1/b.pdf', 'reported']);
  });

  it('copies every upload when none fails', async () => {
    const events: string[] = [];
    const plan = {
      stored: [],
      copies: [
        { from: 'uploads/1', to: 'filings/F1/a.pdf' },
        { from: 'uploads/2', to: 'filings/F1/b.pdf' },
      ],
    };
    await copyUploads(slowStore(events), plan);
    expect(events.sort()).toEqual(['landed filings/F1/a.pdf', 'landed filings/F1/b.pdf']);
  });
});
