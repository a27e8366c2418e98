/** Correlated RabbitMQ channels and consumers. */
package io.baton.rabbitmq;
