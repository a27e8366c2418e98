/**
 * Correlation for Kafka Streams (4.0+).
 *
 * <p>{@link io.baton.kafka.streams.KafkaStreamsCorrelation} is a {@code ProcessorWrapper}
 * (KIP-1112), named in the topology's configuration: every processor of the topology, DSL and
 * Processor API alike, then handles each record inside the record's correlation, with its ID in
 * the SLF4J MDC, and every record it forwards carries that ID. {@link
 * io.baton.kafka.streams.CorrelationExceptionHandler} runs Kafka's (or your) exception handlers
 * inside the failing record's correlation.
 */
package io.baton.kafka.streams;
