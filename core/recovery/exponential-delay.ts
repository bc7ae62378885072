/**
 * Exponential-delay restart strategy (`restart-strategy.type: exponential-delay`), Flink's
 * default when checkpointing is on. Each restart waits longer than the one before: the
 * first waits `initial-backoff`, each next one `backoff-multiplier` times more, up to
 * `max-backoff`. A job that then runs for `reset-backoff-threshold` without failing is
 * forgiven: the next failure waits `initial-backoff` again. `jitter-factor` moves each
 * backoff by a random amount, so that many jobs hit by one outage do not all restart at
 * the same moment and stampede the cluster.
 *
 * As in Flink 1.19+ (FLIP-364), the backoff of attempt k (counting from 0 since the last
 * reset) is b = floor(initial × multiplier^k), moved by a uniform integer in
 * [-floor(b × jitter), +floor(b × jitter)] and then clamped to [initial, max]: so a backoff
 * never exceeds max-backoff, and once even b - floor(b × jitter) has reached max, every
 * backoff is exactly max. Note that b itself is never capped: the jitter of a job that has
 * failed many times spans far more than max (with jitter 1, it can still land on initial).
 * A failure is a new attempt only if it arrives at or after the restart already scheduled:
 * the failures of one incident (several tasks failing before the restart) are merged into
 * one attempt, and `getBackoffTime` then answers the time left until that restart. Flink
 * merges a failure at the restart's own instant too; in real time that instant never holds
 * the restarted attempt's failure, since deploying takes time. In virtual time it can (a
 * record that fails the job, replayed the moment the tasks are back), and merging it would
 * restart at once, at the same instant, for ever. The reset is measured from the scheduled restart: a failure at least
 * `reset-backoff-threshold` after it starts again at attempt 0. `attempts-before-reset-backoff`
 * (unlimited by default) bounds the attempts between resets: with 3, the job restarts
 * three times and fails on the fourth attempt, unless a reset came between.
 *
 * Determinism: the jitter comes from the seeded random stream, drawn in integers;
 * multiplier^k is a repeated product, identical in every engine (for multipliers such as 2
 * and 1.5 it is also exactly Java's Math.pow; for others it may differ in the last bit,
 * moving a truncated backoff by 1 ms at most, rarely).
 *
 * @example
 * const s = new ExponentialDelayRestartBackoffTimeStrategy(EXPONENTIAL_DELAY_DEFAULTS, random);
 * s.notifyFailure(0);    // true
 * s.getBackoffTime();    // 1000 ± 100: restart at about t = 1000
 * s.notifyFailure(500);  // false: merged into the restart already pending
 * s.getBackoffTime();    // about 500: the time left until that restart
 */
import { assert, type RandomStream } from '../kernel/index.ts';
import {
  FailureClock,
  requireInteger,
  RestartStrategyConfigError,
  type ExponentialDelaySpec,
  type RestartBackoffTimeStrategy,
} from './restart-strategy.ts';
import { drawUniformInteger } from './uniform-integer.ts';

const NAME = 'ExponentialDelayRestartBackoffTimeStrategy';

/**
 * Where the uncapped backoff stops growing: 2^50 ms, some 35,000 years. Past it only the
 * odds of a jittered backoff below max-backoff (with jitter near 1) could still change, by
 * less than max / 2^50. (Flink's long arithmetic overflows there instead.)
 */
const UNCAPPED_CEILING_MS = 0x4_0000_0000_0000;

/** Flink's default options (RestartStrategyOptions, Flink 1.19+), used when a job with checkpointing sets no strategy. */
export const EXPONENTIAL_DELAY_DEFAULTS: Readonly<ExponentialDelaySpec> = Object.freeze({
  type: 'exponential-delay',
  initialBackoffMs: 1000,
  maxBackoffMs: 60_000,
  multiplier: 1.5,
  resetThresholdMs: 3_600_000,
  jitter: 0.1,
  attemptsBeforeReset: null,
});

/** Flink's ExponentialDelayRestartBackoffTimeStrategy (1.19+): growing backoff, merged failures, reset after quiet time. */
export class ExponentialDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly multiplier: number;
  readonly resetThresholdMs: number;
  readonly jitter: number;
  /** null: unlimited. */
  readonly attemptsBeforeReset: number | null;
  readonly #random: RandomStream;
  readonly #clock = new FailureClock();
  /** Attempts since the last reset (Flink's currentRestartAttempt). */
  #attempt = 0;
  /** multiplier^attempt, as a repeated product. */
  #growth = 1;
  /** When the pending (or last) restart is scheduled; null before the first failure. */
  #nextRestartMs: number | null = null;

  constructor(spec: ExponentialDelaySpec, random: RandomStream) {
    requireInteger(NAME, 'initialBackoffMs', spec.initialBackoffMs, 1);
    requireInteger(NAME, 'maxBackoffMs', spec.maxBackoffMs, 1);
    requireInteger(NAME, 'resetThresholdMs', spec.resetThresholdMs, 1);
    if (spec.initialBackoffMs > spec.maxBackoffMs) {
      throw new RestartStrategyConfigError(`${NAME}: initialBackoffMs ${spec.initialBackoffMs} is above maxBackoffMs ${spec.maxBackoffMs}`);
    }
    if (!(Number.isFinite(spec.multiplier) && spec.multiplier > 1)) {
      throw new RestartStrategyConfigError(`${NAME}: multiplier must be greater than 1, got ${spec.multiplier}`);
    }
    if (!(spec.jitter >= 0 && spec.jitter <= 1)) {
      throw new RestartStrategyConfigError(`${NAME}: jitter must be in [0, 1], got ${spec.jitter}`);
    }
    if (spec.attemptsBeforeReset !== null) requireInteger(NAME, 'attemptsBeforeReset', spec.attemptsBeforeReset, 1);
    this.initialBackoffMs = spec.initialBackoffMs;
    this.maxBackoffMs = spec.maxBackoffMs;
    this.multiplier = spec.multiplier;
    this.resetThresholdMs = spec.resetThresholdMs;
    this.jitter = spec.jitter;
    this.attemptsBeforeReset = spec.attemptsBeforeReset;
    this.#random = random;
  }

  /** Allowed while the attempts since the last reset number at most attemptsBeforeReset. */
  canRestart(): boolean {
    return this.attemptsBeforeReset === null || this.#attempt <= this.attemptsBeforeReset;
  }

  /** The time left, as of the latest failure, until the scheduled restart. */
  getBackoffTime(): number {
    const next = this.#nextRestartMs;
    assert(next !== null, `${NAME}: getBackoffTime before any notifyFailure`);
    return Math.max(0, next - this.#clock.lastMs!);
  }

  /** A new attempt, unless a restart is already scheduled after nowMs. */
  notifyFailure(nowMs: number): boolean {
    this.#clock.advance(NAME, nowMs);
    const next = this.#nextRestartMs;
    if (next !== null && nowMs < next) return false;
    if (next === null || nowMs - next >= this.resetThresholdMs) {
      this.#attempt = 0;
      this.#growth = 1;
    }
    this.#nextRestartMs = nowMs + this.#backoffOfCurrentAttempt();
    this.#attempt++;
    if (this.initialBackoffMs * this.#growth < UNCAPPED_CEILING_MS) this.#growth *= this.multiplier;
    return true;
  }

  describe(): string {
    const attempts = this.attemptsBeforeReset === null ? 'unlimited attempts' : `${this.attemptsBeforeReset} attempts before reset`;
    return (
      `exponential-delay (initial ${this.initialBackoffMs} ms, max ${this.maxBackoffMs} ms, multiplier ${this.multiplier}, ` +
      `reset after ${this.resetThresholdMs} ms, jitter ${this.jitter}, ${attempts})`
    );
  }

  /** floor(initial × multiplier^attempt), jittered, clamped to [initial, max]. */
  #backoffOfCurrentAttempt(): number {
    const uncapped = Math.min(Math.floor(this.initialBackoffMs * this.#growth), UNCAPPED_CEILING_MS);
    const offset = Math.floor(uncapped * this.jitter);
    let jittered = uncapped;
    // When even the lowest jittered value is at or above max, every draw would give max.
    if (offset > 0 && uncapped - offset < this.maxBackoffMs) jittered += drawUniformInteger(this.#random, -offset, offset);
    return Math.max(this.initialBackoffMs, Math.min(jittered, this.maxBackoffMs));
  }
}
