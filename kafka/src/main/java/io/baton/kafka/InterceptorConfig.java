package io.baton.kafka;

import io.baton.CorrelationPropagator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the interceptors' plain string properties. */
final class InterceptorConfig {

  static final String ID_HEADER = "baton.header.id";
  static final String PARENT_HEADER = "baton.header.parent";
  static final String ALIASES = "baton.header.aliases";

  private InterceptorConfig() {}

  static KafkaCorrelation kafkaCorrelation(Map<String, ?> configs) {
    CorrelationPropagator defaults = CorrelationPropagator.create();
    String id = string(configs.get(ID_HEADER), defaults.idHeader());
    String parent = string(configs.get(PARENT_HEADER), defaults.parentHeader());
    CorrelationPropagator.Builder builder =
        CorrelationPropagator.newBuilder().headers(id, parent);
    Object aliases = configs.get(ALIASES);
    if (aliases != null) {
      builder.aliases(list(aliases).toArray(new String[0]));
    }
    return KafkaCorrelation.newBuilder().propagator(builder.build()).build();
  }

  private static String string(Object value, String fallback) {
    if (value == null || value.toString().isBlank()) {
      return fallback;
    }
    return value.toString().trim();
  }

  private static List<String> list(Object value) {
    List<String> items = new ArrayList<>();
    Iterable<?> raw = value instanceof Iterable ? (Iterable<?>) value : List.of(value.toString().split(","));
    for (Object item : raw) {
      String name = item.toString().trim();
      if (!name.isEmpty()) {
        items.add(name);
      }
    }
    return items;
  }
}
