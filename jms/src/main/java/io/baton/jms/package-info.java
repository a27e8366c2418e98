/** Correlated Jakarta JMS connection factories and listeners. */
package io.baton.jms;
