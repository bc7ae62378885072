/**
 * The connectors layer: the Kafka-like log and the sources (and, later, the transactional
 * sinks) that talk to it.
 */
export * from './topic.ts';
export { TopicSource, type TopicSourceConfig } from './topic-source.ts';
export { generateTopic, type TopicGenerator } from './generated-topic.ts';
