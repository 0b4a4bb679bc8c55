/**
 * The reference model for test/property/circuit-breaker-model.test.ts: the circuit breaker's
 * state machine written as plainly as possible. Window figures are recomputed from a list of
 * every counted call (no ring, no buckets), and every rule is one line of the spec.
 */

/** What a call's task produces: a value, a counted error, a bad value, an error `when` skips. */
export type Outcome = 'ok' | 'fail' | 'bad' | 'ignored';
export type Mode = 'normal' | 'disabled' | 'metrics-only' | 'forced-open';
type Phase = 'closed' | 'open' | 'half-open' | 'isolated';

export type BreakerSpec =
  | { readonly kind: 'consecutive'; readonly threshold: number }
  | {
      readonly kind: 'count';
      readonly size: number;
      readonly failureRatio: number;
      readonly minThroughput: number;
    }
  | {
      readonly kind: 'time';
      readonly duration: number;
      readonly buckets: number;
      readonly failureRatio: number;
      readonly minThroughput: number;
    };

export interface ModelConfig {
  readonly breaker: BreakerSpec;
  readonly slow: { readonly threshold: number; readonly ratio: number } | undefined;
  /** A number, or `'backoff'`: {@link stepBackoff}. */
  readonly halfOpenAfter: number | 'backoff';
  readonly halfOpenProbes: number;
  readonly mode: Mode;
  /**
   * Whether `whenResult` fails the `bad` values. Without it (and without `slowCall`) closed
   * calls take the breaker's lean path.
   */
  readonly whenResult: boolean;
}

/** The backoff of `halfOpenAfter: 'backoff'`: 15 ms per break, but keeps the delay on break 2. */
export const stepBackoff = ({ attempt }: { attempt: number }): number | undefined =>
  attempt === 2 ? undefined : attempt * 15;

/** What a settled call shows, as the test renders it. */
export const outcomeText = (outcome: Outcome, id: number): string =>
  `${outcome === 'ok' || outcome === 'bad' ? 'resolved' : 'rejected'} ${outcome} ${id}`;

export interface ModelCall {
  readonly id: number;
  /** How it was let in: as a counted closed call, as a probe, passed through, or not at all. */
  readonly admission: 'closed' | 'probe' | 'pass' | 'rejected';
  /** The epoch (transition count) when it was let in. */
  readonly epoch: number;
  readonly start: number;
  readonly honours: boolean;
  /** For a task that settles on a timer: when, and with what. */
  readonly dueAt: number | undefined;
  readonly outcome: Outcome;
  readonly hangs: boolean;
  /** `'pending'` or the text of how `execute` settled. */
  expected: string;
  aborted: boolean;
  taskDone: boolean;
}

interface Entry {
  readonly failed: boolean;
  readonly slow: boolean;
  readonly at: number;
}

export class BreakerModel {
  now = 0;
  private mode: Mode;
  private phase: Phase = 'closed';
  private epoch = 0;
  /** Probes of the current epoch still running, and how many have passed. */
  private readonly running = new Set<number>();
  private passed = 0;
  private openUntil = 0;
  private breaks = 0;
  private previous: number | undefined;
  private isolations = 0;
  private isolationEpoch = 0;
  readonly handles: { epoch: number; released: boolean }[] = [];
  private entries: Entry[] = [];
  private run = 0;
  readonly calls: ModelCall[] = [];
  /**
   * The events in order: `from>to` (onStateChange), `break <reason>`, `half-open`, `reset`.
   */
  readonly events: string[] = [];

  constructor(readonly cfg: ModelConfig) {
    this.mode = cfg.mode;
  }

  state(): string {
    return this.mode === 'forced-open' ? 'isolated' : this.phase;
  }

  retryAfter(): number {
    return this.phase === 'open' ? this.openUntil - this.now : 0;
  }

  /** An open breaker whose time is up is half-open (when someone looks). */
  refresh(): void {
    if (this.phase !== 'open' || this.now < this.openUntil) return;
    this.go('half-open');
    this.events.push('half-open');
  }

  /** Moves to `phase` in a new epoch; `from` is the state reported before the change. */
  private go(phase: Phase, from = this.state()): void {
    this.phase = phase;
    this.epoch++;
    this.running.clear();
    this.passed = 0;
    if (from !== this.state()) this.events.push(`${from}>${this.state()}`);
  }

  private trip(reason: string): void {
    this.breaks++;
    const { halfOpenAfter } = this.cfg;
    const next =
      halfOpenAfter === 'backoff' ? stepBackoff({ attempt: this.breaks }) : halfOpenAfter;
    const delay = next ?? this.previous ?? 0;
    this.previous = delay;
    this.openUntil = this.now + delay;
    this.go('open');
    this.events.push(`break ${reason}`);
  }

  /** Forgets the window, the break count and the previous delay; `reset` unless closed. */
  private close(from = this.state()): void {
    const wasClosed = this.phase === 'closed';
    this.entries = [];
    this.run = 0;
    this.breaks = 0;
    this.previous = undefined;
    this.go('closed', from);
    if (!wasClosed) this.events.push('reset');
  }

  /** [calls, failures, slowCalls] in the window now. */
  figures(): [number, number, number] {
    const b = this.cfg.breaker;
    if (b.kind === 'consecutive') return [this.run, this.run, 0];
    let inWindow = this.entries;
    if (b.kind === 'count') inWindow = inWindow.slice(-b.size);
    if (b.kind === 'time') {
      const bucket = (t: number) => Math.floor(t / (b.duration / b.buckets));
      inWindow = inWindow.filter((e) => bucket(this.now) - bucket(e.at) < b.buckets);
    }
    const failures = inWindow.filter((e) => e.failed).length;
    return [inWindow.length, failures, inWindow.filter((e) => e.slow).length];
  }

  /** Counts a call; returns why it should open now, if it should. */
  private record(failed: boolean, slow: boolean): string | undefined {
    const b = this.cfg.breaker;
    if (b.kind === 'consecutive') {
      this.run = failed ? this.run + 1 : 0;
      return failed && this.run >= b.threshold ? 'consecutive' : undefined;
    }
    this.entries.push({ failed, slow, at: this.now });
    const [calls, failures, slowCalls] = this.figures();
    if (calls < b.minThroughput) return undefined;
    if (failures / calls >= b.failureRatio) return 'failure-ratio';
    const slowRatio = this.cfg.slow?.ratio;
    return slowRatio !== undefined && slowCalls / calls >= slowRatio
      ? 'slow-call-ratio'
      : undefined;
  }

  /** A call arrives now: how it is let in, or what it is rejected with. */
  admit(plan: { outcome: Outcome; honours: boolean; after: number | 'now' | 'hang' }): ModelCall {
    let admission: ModelCall['admission'] = 'rejected';
    let expected = 'pending';
    if (this.mode === 'disabled') admission = 'pass';
    else if (this.mode === 'forced-open' || this.phase === 'isolated') expected = 'isolated';
    else if (this.mode === 'metrics-only' || this.phase === 'closed') admission = 'closed';
    else {
      this.refresh();
      if (this.phase === 'open') expected = `broken open ${this.retryAfter()}`;
      else if (this.running.size + this.passed >= this.cfg.halfOpenProbes) {
        expected = 'broken half-open 0';
      } else admission = 'probe';
    }
    const call: ModelCall = {
      id: this.calls.length,
      admission,
      epoch: this.epoch,
      start: this.now,
      honours: plan.honours,
      dueAt: typeof plan.after === 'number' ? this.now + plan.after : undefined,
      outcome: plan.outcome,
      hangs: plan.after === 'hang',
      expected,
      aborted: false,
      taskDone: admission === 'rejected',
    };
    this.calls.push(call);
    if (admission === 'probe') this.running.add(call.id);
    if (admission !== 'rejected' && plan.after === 'now') this.settled(call.id, plan.outcome);
    return call;
  }

  /** A call's task settles now with `outcome`. */
  settled(id: number, outcome: Outcome): void {
    const call = this.calls[id]!;
    call.taskDone = true;
    if (call.aborted) return; // the caller gave up: not counted at all, whenever it settles
    call.expected = outcomeText(outcome, id);
    const failed = outcome === 'fail' || (outcome === 'bad' && this.cfg.whenResult);
    const slow = this.cfg.slow !== undefined && this.now - call.start >= this.cfg.slow.threshold;
    if (call.admission === 'probe') {
      if (call.epoch !== this.epoch) return;
      this.running.delete(id);
      if (failed || slow) this.trip('half-open-failure');
      else if (++this.passed >= this.cfg.halfOpenProbes) this.close();
    } else if (call.admission === 'closed' && this.counts(call)) {
      const reason = this.record(failed, slow);
      if (reason !== undefined && this.mode === 'normal' && this.phase === 'closed') {
        this.trip(reason);
      }
    }
  }

  /**
   * A call let in while closed (or in metrics-only mode) counts only if nothing has happened
   * since: no transition, no reset, no isolation, no mode change.
   */
  private counts(call: ModelCall): boolean {
    return call.epoch === this.epoch;
  }

  /** The caller aborts a pending call: it rejects at once; a probe gives its slot back. */
  abort(id: number): void {
    const call = this.calls[id]!;
    call.aborted = true;
    call.expected = `rejected abort ${id}`;
    if (call.admission === 'probe' && call.epoch === this.epoch) this.running.delete(id);
    if (call.honours) call.taskDone = true;
  }

  /** Moves time, settling the timed tasks due on the way in deadline order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = this.calls
        .filter((c) => !c.taskDone && c.dueAt !== undefined && c.dueAt <= target)
        .sort((a, b) => a.dueAt! - b.dueAt! || a.id - b.id)[0];
      if (due === undefined) break;
      this.now = due.dueAt!;
      this.settled(due.id, due.outcome);
    }
    this.now = target;
  }

  isolate(): void {
    if (this.isolations++ === 0) this.go('isolated');
    this.handles.push({ epoch: this.isolationEpoch, released: false });
  }

  dispose(index: number): void {
    const handle = this.handles[index]!;
    if (handle.released || handle.epoch !== this.isolationEpoch) return;
    handle.released = true;
    if (--this.isolations === 0) this.close();
  }

  /**
   * A mode change (to another mode) makes every call and probe in flight inert. 'disabled' and
   * 'metrics-only' never reject, so entering them closes an open or half-open breaker.
   */
  setMode(mode: Mode): void {
    if (mode === this.mode) return;
    const from = this.state();
    this.mode = mode;
    const quiet = mode === 'disabled' || mode === 'metrics-only';
    if (quiet && (this.phase === 'open' || this.phase === 'half-open')) this.close(from);
    else this.go(this.phase, from);
  }

  reset(): void {
    this.isolations = 0;
    this.isolationEpoch++;
    this.close();
  }
}
