// The free names of the docs' ```ts snippets, for test/docs/ts-examples.test.ts: the input
// a snippet continues from, and the one effect it hands records to. A snippet that can say
// where a name comes from (an import, a short local `const`) says it there; a name gets a
// line here only when the prose has the reader holding it already ("a stream of fares").
// The types are the API's: a stream's records are JSON values, so a snippet casts to read
// a field, as a user's code does.
import type { DataStream, SequenceItem } from '../../core/index.ts';

declare global {
  /** Any stream: the one a snippet adds an operator or a sink to. */
  const stream: DataStream;
  /** Test input for env.fromSequence. */
  const items: SequenceItem[];
  /** Flink training's taxi streams (records like TaxiRide and TaxiFare). */
  const rides: DataStream;
  const fares: DataStream;
  /** A stream of clicks by user, and ad impressions, for the window and join examples. */
  const clicks: DataStream;
  const impressions: DataStream;
  /** Events and the rules broadcast to them (the broadcast state pattern). */
  const events: DataStream;
  const ruleStream: DataStream;
  /** Orders and their payments, for the window join and coGroup. */
  const orders: DataStream;
  const payments: DataStream;
  /** An external system a sink hands a batch to. */
  function send(records: readonly unknown[]): void;
}
