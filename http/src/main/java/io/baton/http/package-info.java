/**
 * Correlation at the HTTP edge.
 *
 * <p>{@link io.baton.http.HttpCorrelation} gives a filter for the JDK's HTTP server and one for
 * Jakarta Servlet 6: every request is handled inside the correlation of its valid {@code
 * X-Correlation-ID} (or a fresh one), and every response carries that ID, errors included. It
 * also makes the JDK {@code HttpClient}'s outgoing requests carry the current correlation, and
 * writes error bodies that show the ID to the user.
 */
package io.baton.http;
