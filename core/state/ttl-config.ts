/**
 * Flink's state time-to-live (StateTtlConfig). A keyed state with a TTL forgets a value
 * once it has not been written (or, with OnReadAndWrite, read) for `ttlMs` of processing
 * time: a user's session data, say, that nobody needs after a day of silence. Each value is
 * stored with the time it was last touched (Flink's TtlValue), so the timestamps travel
 * with the values into checkpoints and come back on restore.
 *
 * Flink's TTL runs on processing time only (its TtlTimeCharacteristic has ProcessingTime
 * and nothing else); Weir's does the same, on the kernel's virtual clock, so an expiry is
 * as deterministic as everything else. Expired values are removed when they are read
 * (Flink's cleanup on read, always on), with `cleanupFullSnapshot` left out of every
 * snapshot, and, as Flink's heap backend does by default, a few entries at a time by an
 * incremental cleanup that walks the state on each access (see IncrementalCleanup).
 */
import { assert } from '../kernel/index.ts';
import type { JsonValue } from '../model/index.ts';

/** When a value's timestamp is refreshed. @example const u: TtlUpdateType = 'OnReadAndWrite'; */
export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite';
/** Whether an expired value not yet cleaned up may still be returned. @example const v: TtlStateVisibility = 'NeverReturnExpired'; */
export type TtlStateVisibility = 'NeverReturnExpired' | 'ReturnExpiredIfNotCleanedUp';

/** Flink's StateTtlConfig.UpdateType, as constants. @example StateTtlConfig.newBuilder(1000).setUpdateType(UpdateType.OnReadAndWrite) */
export const UpdateType = Object.freeze({ OnCreateAndWrite: 'OnCreateAndWrite', OnReadAndWrite: 'OnReadAndWrite' } as const);
/** Flink's StateTtlConfig.StateVisibility, as constants. @example builder.setStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp) */
export const StateVisibility = Object.freeze({ NeverReturnExpired: 'NeverReturnExpired', ReturnExpiredIfNotCleanedUp: 'ReturnExpiredIfNotCleanedUp' } as const);

export const TTL_UPDATE_TYPES: readonly TtlUpdateType[] = ['OnCreateAndWrite', 'OnReadAndWrite'];
export const TTL_STATE_VISIBILITIES: readonly TtlStateVisibility[] = ['NeverReturnExpired', 'ReturnExpiredIfNotCleanedUp'];

/** Flink's IncrementalCleanupStrategy. @example const c: IncrementalCleanup = { cleanupSize: 5, runCleanupForEveryRecord: false }; */
export interface IncrementalCleanup {
  readonly cleanupSize: number;
  readonly runCleanupForEveryRecord: boolean;
}

/** What Flink's heap backend runs when the config says nothing: its cleanup in background is on by default, checking 5 entries per state access. */
export const DEFAULT_INCREMENTAL_CLEANUP: IncrementalCleanup = Object.freeze({ cleanupSize: 5, runCleanupForEveryRecord: false });

/**
 * A state's time-to-live, as plain data (what the scenario format reads and the builder builds).
 * @example const ttl: StateTtlConfig = StateTtlConfig.newBuilder(60_000).cleanupFullSnapshot().build();
 */
export class StateTtlConfig {
  static readonly UpdateType = UpdateType;
  static readonly StateVisibility = StateVisibility;

  private constructor(
    /** How long a value lives after its last update (virtual processing-time ms, at least 1). */
    readonly ttlMs: number,
    readonly updateType: TtlUpdateType,
    readonly stateVisibility: TtlStateVisibility,
    /** Leave expired values out of full snapshots (they stay in the live state until read). */
    readonly cleanupFullSnapshot: boolean,
    /**
     * Flink's incremental cleanup (heap backend): on each access of the state, check
     * `cleanupSize` more entries of it, and with `runCleanupForEveryRecord` also on each
     * record; null: none (disableCleanupInBackground and no cleanupIncrementally).
     */
    readonly incrementalCleanup: IncrementalCleanup | null = DEFAULT_INCREMENTAL_CLEANUP,
  ) {}

  /** @example StateTtlConfig.newBuilder(1000).setUpdateType('OnReadAndWrite').build() */
  static newBuilder(ttlMs: number): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(ttlMs);
  }

  /** @internal the builder's way in */
  static of(ttlMs: number, updateType: TtlUpdateType, stateVisibility: TtlStateVisibility, cleanupFullSnapshot: boolean, incrementalCleanup: IncrementalCleanup | null = DEFAULT_INCREMENTAL_CLEANUP): StateTtlConfig {
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new RangeError(`StateTtlConfig: the time-to-live is a whole number of milliseconds, at least 1, found ${String(ttlMs)}`);
    if (!TTL_UPDATE_TYPES.includes(updateType)) throw new RangeError(`StateTtlConfig: unknown update type ${String(updateType)} (expected ${TTL_UPDATE_TYPES.join(' or ')})`);
    if (!TTL_STATE_VISIBILITIES.includes(stateVisibility)) throw new RangeError(`StateTtlConfig: unknown state visibility ${String(stateVisibility)} (expected ${TTL_STATE_VISIBILITIES.join(' or ')})`);
    if (incrementalCleanup !== null) {
      const { cleanupSize } = incrementalCleanup;
      // Flink: "Number of incrementally cleaned up state entries should be positive."
      if (!Number.isSafeInteger(cleanupSize) || cleanupSize < 1) throw new RangeError(`StateTtlConfig: cleanupIncrementally checks a whole number of entries per access, at least 1, found ${String(cleanupSize)}`);
    }
    return new StateTtlConfig(ttlMs, updateType, stateVisibility, cleanupFullSnapshot, incrementalCleanup);
  }

  /** Always ProcessingTime: Flink's TTL has no event-time mode. */
  get ttlTimeCharacteristic(): 'ProcessingTime' {
    return 'ProcessingTime';
  }
}

/** Flink's StateTtlConfig.Builder. @example StateTtlConfig.newBuilder(1000).updateTtlOnReadAndWrite().returnExpiredIfNotCleanedUp().build() */
export class StateTtlConfigBuilder {
  #updateType: TtlUpdateType = 'OnCreateAndWrite';
  #visibility: TtlStateVisibility = 'NeverReturnExpired';
  #cleanupFullSnapshot = false;
  #incremental: IncrementalCleanup | null = null;
  #inBackground = true;

  constructor(private ttlMs: number) {}

  setUpdateType(updateType: TtlUpdateType): this {
    this.#updateType = updateType;
    return this;
  }
  updateTtlOnCreateAndWrite(): this {
    return this.setUpdateType('OnCreateAndWrite');
  }
  updateTtlOnReadAndWrite(): this {
    return this.setUpdateType('OnReadAndWrite');
  }
  setStateVisibility(visibility: TtlStateVisibility): this {
    this.#visibility = visibility;
    return this;
  }
  neverReturnExpired(): this {
    return this.setStateVisibility('NeverReturnExpired');
  }
  returnExpiredIfNotCleanedUp(): this {
    return this.setStateVisibility('ReturnExpiredIfNotCleanedUp');
  }
  /** Flink's setTtlTimeCharacteristic: ProcessingTime is the only one there is. */
  setTtlTimeCharacteristic(characteristic: 'ProcessingTime'): this {
    if (characteristic !== 'ProcessingTime') throw new RangeError(`StateTtlConfig: TTL runs on processing time only (as in Flink), found ${String(characteristic)}`);
    return this;
  }
  setTtl(ttlMs: number): this {
    this.ttlMs = ttlMs;
    return this;
  }
  cleanupFullSnapshot(): this {
    this.#cleanupFullSnapshot = true;
    return this;
  }
  /** Flink's cleanupIncrementally: check `cleanupSize` entries on each state access (and each record, when asked). */
  cleanupIncrementally(cleanupSize: number, runCleanupForEveryRecord: boolean): this {
    this.#incremental = { cleanupSize, runCleanupForEveryRecord };
    return this;
  }
  /** Flink's disableCleanupInBackground: no incremental cleanup unless cleanupIncrementally asks for one. */
  disableCleanupInBackground(): this {
    this.#inBackground = false;
    return this;
  }
  /** Flink's (deprecated) cleanupInBackground: on by default. */
  cleanupInBackground(): this {
    this.#inBackground = true;
    return this;
  }
  build(): StateTtlConfig {
    const incremental = this.#incremental ?? (this.#inBackground ? DEFAULT_INCREMENTAL_CLEANUP : null);
    return StateTtlConfig.of(this.ttlMs, this.#updateType, this.#visibility, this.#cleanupFullSnapshot, incremental);
  }
}

/**
 * A value with the processing time it was last written (or read, with OnReadAndWrite):
 * Flink's TtlValue, as the state backend stores it for a state with a TTL.
 */
export interface TtlValue {
  v: JsonValue;
  ts: number;
}

/** Whether a value touched at `ts` has expired at `nowMs`: its expiry time has come (Flink's TtlUtils.expired, saturating instead of overflowing). */
export function isExpired(ts: number, ttlMs: number, nowMs: number): boolean {
  const expiresAt = ts > Number.MAX_SAFE_INTEGER - ttlMs ? Number.MAX_SAFE_INTEGER : ts + ttlMs;
  return expiresAt <= nowMs;
}

/** Reads a stored TtlValue, refusing what is not one (state restored into a TTL state from a snapshot taken without TTL). */
export function asTtlValue(stored: JsonValue, state: string): TtlValue {
  const ok = typeof stored === 'object' && stored !== null && !Array.isArray(stored) && typeof (stored as Record<string, JsonValue>)['ts'] === 'number';
  assert(ok, () => `state '${state}' has a time-to-live, but a stored value has no timestamp: was it restored from a snapshot taken without TTL? (Flink refuses that restore as incompatible too)`);
  return stored as unknown as TtlValue;
}
