/**
 * The correlation ID in the database's own views and logs: {@link io.baton.jdbc.JdbcCorrelation}
 * wraps a {@link javax.sql.DataSource} or a {@link java.sql.Connection} so that each session
 * carries the current correlation ID in its client info ({@code ApplicationName}: PostgreSQL's
 * {@code application_name}) and, when asked, each statement a sqlcommenter comment.
 */
package io.baton.jdbc;
