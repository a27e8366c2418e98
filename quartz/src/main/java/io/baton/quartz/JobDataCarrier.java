package io.baton.quartz;

import io.baton.CorrelationPropagator;
import org.quartz.JobDataMap;

/**
 * The carrier adapter: a job's data map, written as string values so that JDBC stores with
 * useProperties=true take them.
 */
final class JobDataCarrier {

  static final CorrelationPropagator.Getter<JobDataMap> GETTER = JobDataMap::get;

  static final CorrelationPropagator.Setter<JobDataMap> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(JobDataMap data, String key, String value) {
          data.put(key, value);
        }

        @Override
        public void remove(JobDataMap data, String key) {
          data.remove(key);
        }
      };

  /** Per-job choice of {@link FirePolicy}, by name. */
  static final String FIRE_POLICY_KEY = "baton_fire_policy";

  private JobDataCarrier() {}
}
