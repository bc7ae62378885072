/**
 * Window-level firing: a window operator with Flink's EventTimeTrigger on windows that never
 * merge takes its timers from the timer service a stretch at a time (a window's keys at its
 * end in one call, advanceWatermarkByRuns), and when the window's end is also its cleanup
 * time, drops the window's contents in one step (KeyedStateBackend.removeNamespaceOf) after
 * emitting each key's result. Nothing of that may show: the timers fire in the order timer by
 * timer gives, the state left is the same (also when a window function throws halfway
 * through a window), and a refused shortcut changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import type { JsonValue } from '../../core/model/index.ts';
import { createWindowOperator, type WindowOperatorConfig } from '../../core/operators/index.ts';
import { InternalTimerService, KeyedStateBackend, type Timer } from '../../core/state/index.ts';
import { createOperatorHarness } from '../../core/testing.ts';
import { id } from '../state/timer-model.ts';

const fields = { time: fc.integer({ min: 0, max: 12 }), key: fc.integer({ min: 0, max: 5 }), ns: fc.constantFrom('0,10', '5,15', '') };
const ops = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('new' as const), ...fields }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('register' as const), ...fields }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), ...fields }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), to: fc.integer({ min: 0, max: 14 }), echo: fc.boolean() }) },
  ),
  { maxLength: 100 },
);

describe('advanceWatermarkByRuns', () => {
  fcTest.prop([ops])('fires what advanceWatermarkWith fires, in the same order, and leaves the same timers', (list) => {
    const byTimer = new InternalTimerService();
    const byRuns = new InternalTimerService();
    for (const o of list) {
      if (o.kind === 'advance') {
        const one: string[] = [];
        const runs: string[] = [];
        // With `echo`, the first key 0 to fire registers a timer as new at its own time and one (checked) later: both allowed while a stretch fires.
        const echo = (service: InternalTimerService, into: string[]) => {
          let echoed = false;
          return (timestamp: number, key: JsonValue, namespace: string) => {
            into.push(id({ timestamp, keyId: key as number, namespace }));
            if (!o.echo || echoed || key !== 0) return;
            echoed = true;
            service.registerNewEventTimeTimerAt(timestamp, 9, 9, 'echo');
            service.registerEventTimeTimerAt(timestamp + 3, 8, 8, 'echo');
          };
        };
        const fireOne = echo(byTimer, one);
        byTimer.advanceWatermarkWith(o.to, (timestamp, key, _keyId, namespace) => fireOne(timestamp, key, namespace));
        const fireRun = echo(byRuns, runs);
        byRuns.advanceWatermarkByRuns(o.to, (timestamp, namespace, keys, keyIds, from, to) => {
          expect(keys.length).toBe(keyIds.length);
          for (let i = from; i < to; i++) fireRun(timestamp, keys[i]!, namespace);
        });
        expect(runs).toEqual(one);
        expect(byRuns.currentWatermark).toBe(byTimer.currentWatermark);
      } else {
        const t: Timer = { timestamp: o.time, key: o.key, keyId: o.key, namespace: o.ns };
        for (const service of [byTimer, byRuns]) {
          if (o.kind === 'new') {
            // Registered as new only when it is: the caller's promise.
            if (service.hasEventTimeTimer(t.timestamp, t.keyId, t.namespace)) continue;
            service.registerNewEventTimeTimerAt(t.timestamp, t.key, t.keyId, t.namespace);
          } else if (o.kind === 'register') service.registerEventTimeTimerAt(t.timestamp, t.key, t.keyId, t.namespace);
          else service.deleteEventTimeTimer(t);
        }
      }
      expect(byRuns.listEventTimeTimers().map(id)).toEqual(byTimer.listEventTimeTimers().map(id));
      expect(byRuns.eventTimeTimers).toBe(byTimer.eventTimeTimers);
    }
  });

  it('hands a window of keys registered as new in one stretch', () => {
    const service = new InternalTimerService();
    for (const key of [3, 1, 2]) service.registerNewEventTimeTimerAt(999, key, key, '0,1000');
    const calls: string[] = [];
    service.advanceWatermarkByRuns(999, (t, ns, keys, _ids, from, to) => calls.push(`${t} ${ns} ${keys.slice(from, to).join(',')}`));
    expect(calls).toEqual(['999 0,1000 3,1,2']);
    expect(service.eventTimeTimers).toBe(0);
  });

  it('registers again the timers after the one whose callback threw, as firing timer by timer leaves them', () => {
    const service = new InternalTimerService();
    for (const key of [1, 2, 3, 4]) service.registerNewEventTimeTimerAt(9, key, key, 'w');
    const fired: JsonValue[] = [];
    const fire = (_t: number, _ns: string, keys: readonly JsonValue[], _ids: readonly unknown[], from: number, to: number, stretch: { next: number }) => {
      for (let i = from; i < to; i++) {
        stretch.next = i + 1;
        if (keys[i] === 2) throw new Error('boom');
        fired.push(keys[i]!);
      }
    };
    expect(() => service.advanceWatermarkByRuns(9, fire)).toThrow('boom');
    expect(service.listEventTimeTimers().map((t) => t.key)).toEqual([3, 4]);
    expect(service.eventTimeTimers).toBe(2);
    service.advanceWatermarkByRuns(9, fire);
    expect(fired).toEqual([1, 3, 4]);
    expect(service.eventTimeTimers).toBe(0);
  });

  it('refuses a deletion while a stretch fires: the rest of the stretch is already counted out', () => {
    const service = new InternalTimerService();
    for (const key of [1, 2]) service.registerNewEventTimeTimerAt(9, key, key, 'w');
    expect(() => service.advanceWatermarkByRuns(9, () => service.deleteEventTimeTimer({ timestamp: 9, key: 2, keyId: 2, namespace: 'w' }))).toThrow(/deleted, looked up or registered with a check while a stretch/);
  });

  it('refuses a timer registered before the stretch, which timer by timer would fire first', () => {
    const service = new InternalTimerService();
    for (const key of [1, 2]) service.registerNewEventTimeTimerAt(9, key, key, 'w');
    expect(() => service.advanceWatermarkByRuns(9, () => service.registerEventTimeTimerAt(5, 7, 7, 'v'))).toThrow(/earlier than 9 was registered/);
  });
});

describe('KeyedStateBackend.removeNamespaceOf', () => {
  const backendWith = (keys: readonly number[]): KeyedStateBackend => {
    const backend = new KeyedStateBackend({ start: 0, end: 127 }, (key) => (key as number) % 128);
    for (const key of keys) {
      backend.setCurrentKey(key);
      backend.setCurrentNamespace('0,10');
      backend.put('contents', key * 10);
      backend.setCurrentNamespace('10,20');
      backend.put('contents', key);
      backend.put('other', key);
    }
    return backend;
  };

  fcTest.prop([fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 40 })])(
    'with the namespace\'s count, leaves what removing key by key leaves, snapshots included',
    (keys) => {
      const shortcut = backendWith(keys);
      const byKey = backendWith(keys);
      shortcut.snapshotKeyGroups();
      byKey.snapshotKeyGroups();
      expect(shortcut.removeNamespaceOf('contents', '0,10', keys.length)).toBe(true);
      for (const key of keys) {
        byKey.setCurrentKey(key);
        byKey.setCurrentNamespace('0,10');
        byKey.remove('contents');
      }
      expect(shortcut.entries()).toEqual(byKey.entries());
      expect(shortcut.size).toBe(byKey.size);
      expect(shortcut.keyGroupsWithState()).toEqual(byKey.keyGroupsWithState());
      expect([...shortcut.snapshotKeyGroups()]).toEqual([...byKey.snapshotKeyGroups()]);
      // The namespace can fill again afterwards.
      if (keys.length > 0) {
        shortcut.setCurrentKey(keys[0]!);
        shortcut.setCurrentNamespace('0,10');
        expect(shortcut.get('contents')).toBeUndefined();
        shortcut.put('contents', 1);
        expect(shortcut.get('contents')).toBe(1);
      }
    },
  );

  it('refuses, and changes nothing, when the namespace holds more entries than the caller removed', () => {
    const backend = backendWith([1, 2, 3]);
    const before = backend.entries();
    expect(backend.removeNamespaceOf('contents', '0,10', 2)).toBe(false);
    expect(backend.entries()).toEqual(before);
    expect(backend.removeNamespaceOf('missing', '0,10', 0)).toBe(true);
    expect(backend.removeNamespaceOf('missing', '0,10', 1)).toBe(false);
  });
});

describe('the window operator firing a window at once', () => {
  const config = (windowFunction: WindowOperatorConfig['windowFunction'], lateness = 0): WindowOperatorConfig => ({
    assigner: { type: 'tumbling', sizeMs: 100, offsetMs: 0, time: 'event' },
    trigger: null,
    aggregate: { kind: 'count' },
    allowedLatenessMs: lateness,
    lateOutputTag: null,
    windowFunction,
  });

  it('leaves the contents of the key whose window function threw, and of the keys after it, as timer by timer does', () => {
    const h = createOperatorHarness(
      createWindowOperator(
        config((key, _w, result) => {
          if (key === 7) throw new Error('boom');
          return [result];
        }),
      ),
      { keySelector: 'key' },
    ).open();
    for (const key of [5, 6, 7, 8, 9]) h.processElement({ key }, 10);
    expect(() => h.processWatermark(99)).toThrow(/boom/);
    expect(h.records().map((r) => r.value)).toEqual([1, 1]);
    expect(h.backend!.entries().map((e) => e.key).sort()).toEqual(['7', '8', '9']);
    // The failing key's timer was taken as it fired; those after it are still registered.
    expect(h.timerService!.listEventTimeTimers().map((t) => t.key)).toEqual([8, 9]);
  });

  it('emits in the timers\' order and keeps no state or timers once every window has fired, with and without lateness', () => {
    for (const lateness of [0, 50]) {
      const h = createOperatorHarness(createWindowOperator(config((key, w, result) => [[key, w.start, result]], lateness)), { keySelector: 'key' }).open();
      for (const [key, ts] of [[3, 10], [1, 20], [3, 30], [2, 150], [1, 160]] as const) h.processElement({ key }, ts);
      h.processWatermark(99);
      expect(h.records().map((r) => r.value)).toEqual([[3, 0, 2], [1, 0, 1]]);
      h.processWatermark(1000);
      expect(h.records().map((r) => r.value)).toEqual([[3, 0, 2], [1, 0, 1], [2, 100, 1], [1, 100, 1]]);
      expect(h.stateSize()).toBe(0);
      expect(h.timers().eventTime).toBe(0);
    }
  });
});
