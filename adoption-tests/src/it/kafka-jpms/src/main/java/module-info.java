/** A user's app on the module path: Baton's jars are automatic modules named by their manifests. */
module com.example.app {
  requires io.baton.core;
  requires io.baton.kafka;
  requires kafka.clients;
  requires org.slf4j;
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;
}
