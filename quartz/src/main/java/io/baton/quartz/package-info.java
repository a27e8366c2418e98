/**
 * Correlation for Quartz Scheduler jobs.
 *
 * <p>{@link io.baton.quartz.QuartzCorrelation} installs a job factory wrapper, so every job runs
 * in a correlation scope, and tags jobs with the correlation that scheduled them;
 * {@link io.baton.quartz.FirePolicy} says whether a fire continues that correlation or starts a
 * child of it.
 */
package io.baton.quartz;
