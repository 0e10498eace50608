/**
 * The queries the CRM lookups have in flight: at most `limit`, which starts at `--concurrency` and
 * drops below the number that was out when the API refused a query for too many requests in flight
 * (as the sender's slots do for inserts). Retries wait here too, so a refused burst is not repeated.
 */
import { classify, ruleById } from '../sink/classify.ts';
import type { ApiClient } from '../sink/client.ts';

export class QueryRoom {
  private out = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(public limit: number) {}

  /** `client` with each query waiting for room; `onLower` hears the new limit. */
  gate(client: ApiClient, onLower: (limit: number) => void): ApiClient {
    return {
      ...client,
      query: async (operation, q) => {
        while (this.out >= this.limit) await new Promise<void>((wake) => this.waiting.push(wake));
        const out = ++this.out;
        try {
          const answer = await client.query!(operation, q);
          if (ruleById(classify(answer).rule)?.lowersConcurrency === true && out - 1 < this.limit && this.limit > 1) {
            this.limit = Math.max(1, out - 1); // the API took fewer than were out
            onLower(this.limit);
          }
          return answer;
        } finally {
          this.out--;
          this.waiting.shift()?.();
        }
      },
    };
  }
}
