/**
 * What one tab of the playground tells the others of the same origin: that it kept a draft
 * or a tree of fault plans. IndexedDB is shared by the tabs but says nothing when another
 * tab writes, so without this a tab would show (and later save over) a stale draft. The
 * browser's BroadcastChannel carries the messages; a message is checked on arrival, since
 * another tab may run another build of the page.
 */
import type { BranchHistory } from './branches.ts';

export type TabMessage =
  /** A draft kept for `scenario` (null: it went back to the shipped file). */
  | { readonly type: 'draft'; readonly scenario: string; readonly text: string | null }
  /** The tree of fault plans kept for `scenario` (the whole tree, as stored). */
  | { readonly type: 'branches'; readonly scenario: string; readonly history: BranchHistory };

export interface TabChannel {
  post(message: TabMessage): void;
  /** Calls `listener` with each message another tab posts; returns the way to stop. */
  subscribe(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

export const TAB_CHANNEL_NAME = 'weir-tabs';

/** A message from another tab, if it is one this build understands. */
export function asTabMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, scenario } = data as Record<string, unknown>;
  if (typeof scenario !== 'string' || scenario.length === 0) return null;
  if (type === 'draft') {
    const { text } = data as Record<string, unknown>;
    return typeof text === 'string' || text === null ? { type, scenario, text } : null;
  }
  if (type === 'branches') {
    const { history } = data as Record<string, unknown>;
    // Checked in full by the receiver (asBranchHistory), which owns the tree's rules.
    return typeof history === 'object' && history !== null ? { type, scenario, history: history as BranchHistory } : null;
  }
  return null;
}

/**
 * The channel between this page's tabs, or null where the browser has no BroadcastChannel
 * (then each tab still works alone, as before).
 * @example const tabs = broadcastTabChannel(globalThis.BroadcastChannel);
 */
export function broadcastTabChannel(Channel: typeof BroadcastChannel | undefined, name = TAB_CHANNEL_NAME): TabChannel | null {
  if (Channel === undefined) return null;
  let channel: BroadcastChannel;
  try {
    channel = new Channel(name);
  } catch {
    return null;
  }
  return {
    post(message) {
      try {
        channel.postMessage(message);
      } catch {
        // A closed channel or a value the browser cannot clone: the other tabs read storage when they open the scenario.
      }
    },
    subscribe(listener) {
      const onMessage = (event: MessageEvent): void => {
        const message = asTabMessage(event.data);
        if (message !== null) listener(message);
      };
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
    close: () => channel.close(),
  };
}
