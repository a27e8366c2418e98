/** Correlated Kafka producers and consumers. */
package io.baton.kafka;
