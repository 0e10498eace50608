import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.ts';
import { createClient } from '../../src/sink/client.ts';
import { Sender, type SenderOptions } from '../../src/sink/sender.ts';
import type { RetryPolicy } from '../../src/sink/policy.ts';
import type { RowOutcome } from '../../src/types.ts';
import { maxCallsCap } from '../../src/plan/quota.ts';

const POLICY: RetryPolicy = {
  maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxBackoffPerRowMs: 5_000, probeIntervalMs: 50,
  maxProbeIntervalMs: 100, maxPauseMs: 1_000, raiseAfterSuccesses: 1_000, unknown403Streak: 3,
};
const TOKEN = 'tok-sender-stops';
const fields = (row: number) => ({ tipifycation_code: '101', tipifycation_desc: 'PROMESA', module: 'collections', wolkvox_idRecord: `rec-${row}` });

async function sendAll(origin: string, n: number, opts: Partial<SenderOptions> = {}): Promise<{ outcomes: RowOutcome[]; sender: Sender; notInserted: number[] }> {
  const client = createClient({ origin, token: TOKEN, timeoutMs: 5_000, connections: 2 });
  const notInserted: number[] = [];
  const sender = new Sender({ operation: 'OP', concurrency: 2, policy: POLICY, retryUncertain: false, ...opts }, client,
    { beforeSend: () => true, notInserted: (row) => void notInserted.push(row) }, pino({ level: 'silent' }));
  try {
    const outcomes = await Promise.all(Array.from({ length: n }, (_, i) => sender.send(i + 1, fields(i + 1))));
    return { outcomes, sender, notInserted };
  } finally {
    await client.close();
  }
}

describe('sender: one text per stop, throttling, streaks', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: 5, tokens: [TOKEN] });
  });
  after(() => emu.close());
  const script = (faults: FaultRule[]) => {
    emu.reset();
    emu.setFaults(faults);
  };

  it('a quota stop gives every unsent row the same STOPPED_QUOTA text, the row that met the 403 included', async () => {
    script([{ fault: 'quota', fromRequest: 4 }]);
    const { outcomes, sender } = await sendAll(emu.url, 12);
    assert.equal(sender.stopped?.kind, 'quota');
    const pending = outcomes.filter((o) => o.status === 'pending');
    assert.ok(pending.length >= 8);
    for (const o of pending) assert.match(o.error ?? '', /^STOPPED_QUOTA: API_403: TOKEN LIMIT EXCEEDED/);
  });

  it('a --max-calls stop gives every unsent row STOPPED_MAX_CALLS', async () => {
    script([]);
    const { outcomes, sender } = await sendAll(emu.url, 10, { cap: maxCallsCap(4) });
    assert.equal(sender.stopped?.kind, 'max-calls');
    assert.equal(outcomes.filter((o) => o.status === 'ok').length, 4);
    for (const o of outcomes.filter((x) => x.status === 'pending')) assert.match(o.error ?? '', /^STOPPED_MAX_CALLS: --max-calls 4 reached/);
  });

  it('a throttling answer (429) halves the concurrency', async () => {
    script([{ fault: '429', requests: [1] }]);
    const { outcomes, sender } = await sendAll(emu.url, 4);
    assert.ok(outcomes.every((o) => o.status === 'ok'));
    assert.equal(sender.concurrency, 1);
  });

  it('a retry after "nothing was sent" (connection refused) does not lower the concurrency', async () => {
    const { outcomes, sender, notInserted } = await sendAll('http://127.0.0.1:9', 2);
    assert.ok(outcomes.every((o) => o.status === 'failed' && /NET_ECONNREFUSED.*after 3 attempts/.test(o.error ?? '')));
    assert.equal(sender.concurrency, 2);
    assert.ok(notInserted.length >= 4, 'each refused attempt is written back as not inserted');
  });

  it('a long run of answers that may have inserted stops the run (the API is not behaving)', async () => {
    script([{ fault: '500-after', fromRequest: 1 }]);
    const { outcomes, sender } = await sendAll(emu.url, 30, { uncertainStreak: 5 });
    assert.equal(sender.stopped?.kind, 'uncertain-streak');
    const uncertain = outcomes.filter((o) => o.status === 'uncertain').length;
    assert.ok(uncertain >= 5 && uncertain <= 6, `${uncertain} uncertain`);
    assert.ok(outcomes.filter((o) => o.status === 'pending').every((o) => /^STOPPED_UNCERTAIN_STREAK: /.test(o.error ?? '')));
  });
});
