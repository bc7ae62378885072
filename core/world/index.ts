/**
 * The outside world layer: the log, tables and stores that sinks write to, owned by the
 * simulation rather than by any job or task.
 */
export { World, type SinkOutput, type SinkTarget } from './world.ts';
export { TransactionalLog, ProducerFencedError, DEFAULT_TRANSACTION_TIMEOUT_MS, type CommitResult, type ProducerId, type Transaction, type TransactionStatus, type WrittenRecord } from './log.ts';
export { Tables, rowKey } from './tables.ts';
export { CommitterStore } from './committer-store.ts';
export { ConsumerLag, type PartitionLag } from './consumer-lag.ts';
export { DedupMetrics, DedupRegistry, type DedupMode, type DedupShape } from './dedup-metrics.ts';
