package dev.trafficctl.worker;

import dev.trafficctl.client.payload.PayloadEncryption;
import io.temporal.envconfig.ClientConfigProfile;
import java.time.Duration;
import java.util.List;

/**
 * Everything a worker process needs, resolved from flags and environment.
 *
 * @param connection Temporal address, namespace, API key and TLS; address and namespace are set
 * @param healthHost interface of the health and metrics endpoint
 * @param healthPort its port; 0 turns the endpoint off
 * @param connectTimeout how long to wait for Temporal at start before giving up
 * @param shutdownTimeout how long in-flight tasks may run on after a stop signal
 * @param metricsInterval how often the SDK's metrics are handed to the Prometheus registry
 * @param encryption the payload keys, and whether plain payloads are refused
 * @param codec the codec server's settings; null when it is off
 * @param tuning slots, pollers and cache of the SDK's workers
 * @param routerHosts the router hosts whose queues this worker also polls, for their router
 *     activities ({@link dev.trafficctl.workflows.TaskQueues#routerHost})
 */
record WorkerSettings(
    ClientConfigProfile connection,
    String taskQueue,
    String healthHost,
    int healthPort,
    Duration connectTimeout,
    Duration shutdownTimeout,
    Duration metricsInterval,
    PayloadEncryption encryption,
    CodecServerSettings codec,
    WorkerTuning tuning,
    List<String> routerHosts) {

  String address() {
    return connection.getAddress();
  }

  String namespace() {
    return connection.getNamespace();
  }
}
