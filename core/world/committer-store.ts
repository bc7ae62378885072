/**
 * The store behind a write-ahead-log sink's CheckpointCommitter (Flink's
 * CassandraCommitter keeps it in a Cassandra table): for each sink subtask, which
 * checkpoints' batches have been sent in full. It is outside the job, so it survives a
 * failover; a batch is sent again after a restore exactly when its mark is missing here,
 * which is the write-ahead log's at-least-once corner: a crash after sending and before
 * marking sends the batch twice.
 */
export class CommitterStore {
  readonly #committed = new Set<string>();

  isCommitted(sink: string, subtask: number, checkpointId: number): boolean {
    return this.#committed.has(key(sink, subtask, checkpointId));
  }

  commit(sink: string, subtask: number, checkpointId: number): void {
    this.#committed.add(key(sink, subtask, checkpointId));
  }
}

function key(sink: string, subtask: number, checkpointId: number): string {
  return `${sink}\u0000${subtask}\u0000${checkpointId}`;
}
