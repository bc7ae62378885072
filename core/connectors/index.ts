/**
 * The connectors layer: the sources that read the Kafka-like topics, and the sinks that
 * write to the outside world (two-phase commit, write-ahead log, at-least-once, idempotent).
 */
export * from './topic.ts';
export { TopicSource, type TopicSourceConfig } from './topic-source.ts';
export { IdlenessTimer } from './idleness-timer.ts';
export { generateTopic, type TopicGenerator } from './generated-topic.ts';
export * from './taxi/index.ts';
export { TwoPhaseCommitSink, type TwoPhaseCommitSinkConfig } from './two-phase-commit-sink.ts';
export { WriteAheadLogSink, type WriteAheadLogSinkConfig } from './write-ahead-log-sink.ts';
export { AtLeastOnceSink, type AtLeastOnceSinkConfig } from './at-least-once-sink.ts';
export { IdempotentSink, type IdempotentSinkConfig } from './idempotent-sink.ts';
