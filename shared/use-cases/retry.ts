// Applicant actions race the workflow (it may move the filing between our read and our
// write): re-read and try again a few times before giving up with the conflict.
import { ConcurrentModificationError } from '../domain/errors.ts';

export async function retryOnConcurrentChange<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || i >= tries) throw error;
      await new Promise((r) => setTimeout(r, 20 * i));
    }
  }
}
