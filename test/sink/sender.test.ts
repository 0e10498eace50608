import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.ts';
import { createClient, type ApiClient } from '../../src/sink/client.ts';
import { Sender } from '../../src/sink/sender.ts';
import { MaintenancePause } from '../../src/sink/pause.ts';
import type { RetryPolicy } from '../../src/sink/policy.ts';
import type { RowOutcome } from '../../src/types.ts';

const POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 20,
  maxDelayMs: 200,
  maxBackoffPerRowMs: 5_000,
  probeIntervalMs: 300,
  maxProbeIntervalMs: 600,
  maxPauseMs: 1_500,
  raiseAfterSuccesses: 20,
  unknown403Streak: 3,
};

const fields = (row: number) => ({
  tipifycation_code: '101',
  tipifycation_desc: 'PROMESA DE PAGO',
  module: 'collections',
  wolkvox_idRecord: `rec-${row}`,
  customer_id: String(1000 + row),
});

interface Run {
  outcomes: RowOutcome[];
  sender: Sender;
  /** Timers running when every row had settled, before the test stopped the sender. */
  timersAtEnd: number;
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** Sends rows 1..n the way the pipeline does (every row at once, the sender's limit queues them), bounded in time. */
async function sendAll(emu: Emulator, n: number, policy: RetryPolicy = POLICY): Promise<Run> {
  const client: ApiClient = createClient({ origin: `http://127.0.0.1:${emu.port}`, token: 'tok-sender', timeoutMs: 5_000, connections: 2 });
  const sender = new Sender(
    { operation: 'OP', concurrency: 2, policy, retryUncertain: false },
    client,
    { beforeSend: () => true, notInserted: () => {} },
    pino({ level: 'silent' }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the sender never settled every row (a stall)')), 20_000);
  });
  try {
    const all = Promise.all(Array.from({ length: n }, (_, i) => sender.send(i + 1, fields(i + 1))));
    const outcomes = await Promise.race([all, deadline]);
    clearTimeout(timer);
    return { outcomes, sender, timersAtEnd: timers() };
  } finally {
    clearTimeout(timer);
    sender.stop({ kind: 'signal', message: 'test over' });
    await client.close();
  }
}

describe('sender: maintenance pauses always end (every row settles)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: 250 });
  });
  after(() => emu.close());

  function script(faults: FaultRule[]): void {
    emu.reset();
    emu.setFaults(faults);
  }

  it('an undocumented 403 streak answered before a slow ok still pauses, probes and stops at --max-pause', async () => {
    // Request 3 (ok) takes the latency; requests 4..6 answer 403 at once, so the streak of three
    // is complete before request 3's ok arrives. That ok must not hand the pause back to the
    // streak counter: the prober's next 403 is maintenance, not a failed row.
    script([{ fault: 'unknown403', fromRequest: 4 }]);
    const { outcomes, sender } = await sendAll(emu, 12);
    const by = (s: string) => outcomes.filter((o) => o.status === s).length;
    assert.equal(sender.stopped?.kind, 'maintenance', JSON.stringify(sender.stopped));
    assert.equal(by('ok'), 3);
    assert.equal(by('failed'), 2, 'only the two 403s before the streak was complete failed');
    assert.equal(by('pending'), 12 - 3 - 2);
  });
  it('a maintenance window that ends leaves no timer behind (the process can exit)', async () => {
    // Both slots get the maintenance answer: one row probes, the other waits for the end. Its wait
    // must not keep a --max-pause timer (30 min by default) alive after the pause ended.
    script([{ fault: 'maintenance', fromRequest: 3, forMs: 400 }]);
    const before = timers();
    const { outcomes, sender, timersAtEnd } = await sendAll(emu, 6, { ...POLICY, maxPauseMs: 60_000 });
    assert.equal(sender.stopped?.kind, 'signal', 'nothing stopped the run before the test did');
    assert.deepEqual(outcomes.map((o) => o.status), Array(6).fill('ok'));
    assert.ok(outcomes.some((o) => o.attempts > 1));
    assert.equal(timersAtEnd, before, 'no timer left running');
  });
});

describe('maintenance pause: the probe role', () => {
  const quiet = pino({ level: 'silent' });
  const settled = async (p: Promise<void>) => (await Promise.race([p.then(() => true), new Promise((r) => setImmediate(() => r(false)))])) as boolean;

  it('blocks every row but the prober, and ends only on an answer to a request sent after it began', async () => {
    const pause = new MaintenancePause(POLICY, quiet, new AbortController().signal);
    pause.begin(7, 10);
    assert.equal(pause.blocks(7), false);
    assert.equal(pause.blocks(8), true);
    const waiting = pause.ended();
    pause.answered(10); // request 10 left before the pause began: proves nothing
    assert.equal(await settled(waiting), false);
    pause.answered(11);
    assert.equal(await settled(waiting), true);
    assert.equal(pause.active, false);
  });

  it('hands the probe to the next row that asks when the prober ends while the pause is on', async () => {
    const pause = new MaintenancePause(POLICY, quiet, new AbortController().signal);
    pause.begin(3, 5);
    const waiting = pause.ended();
    pause.leave(4); // not the prober: nothing changes
    assert.equal(await settled(waiting), false);
    pause.leave(3);
    assert.equal(await settled(waiting), true, 'the waiting rows are woken');
    assert.equal(pause.active, true, 'the pause is still on');
    assert.equal(pause.blocks(9), false, 'the first row to ask probes');
    assert.equal(pause.blocks(10), true);
    assert.equal(await settled(pause.ended()), false);
  });
});
