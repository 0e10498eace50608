/**
 * The Manager side of the emulator: its own request context (token, quota, in-flight slots,
 * faults, latency; timers shared with the CRM side so close() stops both), the synthetic dialer,
 * counters, and the audit hooks tests read (`Emulator.manager`).
 */
import type { Context } from '../context.ts';
import { validateFaultRules } from '../fault-rules.ts';
import { FaultEngine } from '../faults.ts';
import type { CrmRecord } from '../records.ts';
import { EmulatorState } from '../state.ts';
import type { FaultRule, ManagerEmulator, ManagerOptions, ManagerStats, ReportName } from '../types.ts';
import { Dialer } from './dialer.ts';
import { managerConfig, managerContextOptions, type ManagerConfig } from './options.ts';
import { renderRow } from './rows.ts';

export class ManagerSide {
  readonly ctx: Context;
  readonly config: ManagerConfig;
  readonly dialer: Dialer;
  /** Report calls with the token, numbered for faults and latency ranges. */
  requests = 0;
  answers = 0;
  recordsServed = 0;
  truncated = 0;
  private readonly served = new Map<ReportName, Set<string>>();

  constructor(base: Context, options: ManagerOptions | undefined, records: readonly CrmRecord[]) {
    const opts = managerContextOptions(base.opts, options);
    this.config = managerConfig(options);
    this.ctx = { opts, state: new EmulatorState(), faults: new FaultEngine(opts.seed, opts.faults), timers: base.timers, closed: false };
    this.dialer = new Dialer({ seed: opts.seed, perDay: this.config.callsPerDay, records });
  }

  /** Counts a 200 answer whose rows were all written. */
  servedRows(report: ReportName, connIds: readonly string[], truncated: boolean): void {
    this.answers++;
    this.recordsServed += connIds.length;
    if (truncated) this.truncated++;
    let set = this.served.get(report);
    if (set === undefined) this.served.set(report, (set = new Set()));
    for (const id of connIds) set.add(id);
  }

  stats(): ManagerStats {
    const s = this.ctx.state.stats();
    return {
      calls: s.calls, answers: this.answers, recordsServed: this.recordsServed, truncated: this.truncated,
      inflight: this.ctx.state.token(this.config.token).inflight, maxInflightSeen: s.maxInflightSeen, rejectedConcurrency: s.rejectedConcurrency, byHttpStatus: s.byHttpStatus,
      faultsInjected: s.faultsInjected,
    };
  }

  newDay(): void {
    this.ctx.state.newDay();
  }

  reset(): void {
    this.ctx.state.reset();
    this.ctx.faults.set([]);
    this.requests = this.answers = this.recordsServed = this.truncated = 0;
    this.served.clear();
  }

  /** The audit hooks (`Emulator.manager`). */
  hooks(): ManagerEmulator {
    const state = this.ctx.state;
    return {
      token: this.config.token,
      callsPerDay: this.config.callsPerDay,
      get calls() {
        return state.calls;
      },
      stats: () => this.stats(),
      rows: (report, { from, to, campaignId }) => {
        const sel = { report, from: Math.ceil(from.getTime() / 1000), to: Math.ceil(to.getTime() / 1000), campaignId: campaignId ?? 'all', limit: Infinity };
        return this.dialer.select(sel).map((c) => renderRow(report, c));
      },
      servedConnIds: (report) => this.served.get(report) ?? new Set(),
      setFaults: (rules: FaultRule[]) => this.ctx.faults.set(validateFaultRules(rules, 'manager.faults')),
    };
  }
}
