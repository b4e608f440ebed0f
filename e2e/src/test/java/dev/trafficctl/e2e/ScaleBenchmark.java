package dev.trafficctl.e2e;

import dev.trafficctl.activities.router.nginx.StandaloneNginxConfig;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.NginxProcess;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.CanaryResult;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.StepRecord;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.envconfig.ClientConfigProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures of many canaries at once on one worker, not a test: the class name keeps it out of the
 * normal suite. Run it through {@code bench/scale.sh}, which prints the table.
 *
 * <p>For each N (system property {@code scale.n}, e.g. {@code 50,200,500}): a dev server and a
 * worker of their own, N services on the file router, each with a canary of two 30 s steps analysed
 * every 10 s on 20 s windows of one nginx-format access log that a writer fills with 10 requests a
 * second per version; all N started at once through the CLI's client. It then reads every history
 * and reports: the worker's and the server's CPU (share of one core, averaged over the run) and
 * peak RSS; workflow and activity task schedule-to-start p50/p99 (from the histories' scheduled and
 * started events); step drift, how much later than planned each step began (the first: after the
 * workflow started; the others: after the previous step's duration); router change latency
 * (SetWeights, scheduled to completed); history events per rollout; failed workflow tasks; and how
 * many ended Promoted. Extra worker flags come from {@code scale.worker.flags} (space-separated).
 *
 * <p>Loopback only; bounded: every run ends when all its canaries have ended or after 15 minutes.
 */
class ScaleBenchmark {

  private static final Duration STEP = Duration.ofSeconds(30);
  private static final Duration RUN_LIMIT = Duration.ofMinutes(15);

  private static final String CANARY =
      """
      canary:
        svc:
          steps:
            - { traffic_percent: 10, duration: 30s }
            - { traffic_percent: 50, duration: 30s }
            - traffic_percent: 100
          metrics:
            error_rate: { threshold: 1, window: 20s }
          analysis: { interval: 10s, minimum_requests: 20, inconclusive_limit: 10 }
          auto_promote: true
          auto_rollback: true
      """;

  @TempDir static Path tmp;

  @Test
  void canariesAtOnce() throws Exception {
    List<Integer> sizes =
        Arrays.stream(System.getProperty("scale.n", "50").split(","))
            .map(String::strip)
            .map(Integer::parseInt)
            .toList();
    List<String> flags =
        Arrays.stream(System.getProperty("scale.worker.flags", "").split(" "))
            .filter(f -> !f.isBlank())
            .toList();
    String router = System.getProperty("scale.router", "file");
    List<String> rows = new ArrayList<>();
    for (int n : sizes) {
      rows.add(run(n, router, flags));
      System.out.println("scale | " + header());
      rows.forEach(r -> System.out.println("scale | " + r));
    }
  }

  private static String header() {
    return String.join(
        " | ",
        "router",
        "N",
        "promoted",
        "wall s",
        "worker CPU %",
        "worker RSS MB",
        "server CPU %",
        "server RSS MB",
        "first WFT s2s p50/p99 ms",
        "WFT s2s p50/p99 ms",
        "activity s2s p50/p99 ms",
        "first step delay p50/p99 ms",
        "step drift p50/p99 ms",
        "router change p50/p99 ms",
        "events/rollout",
        "failed WFT",
        "sticky WFT timeouts");
  }

  private String run(int n, String router, List<String> flags) throws Exception {
    Path dir = NginxProcess.readableByWorkers(tmp.resolve(router + "-" + n));
    NginxProcess nginx = null;
    String routers;
    if (router.startsWith("nginx")) {
      StandaloneNginxConfig config =
          StandaloneNginxConfig.in(
              NginxProcess.readableByWorkers(dir.resolve("nginx")),
              NginxProcess.readableByWorkers(dir.resolve("nginx/conf.d")),
              true);
      config.write();
      NginxProcess.requireNginx(true);
      nginx =
          new NginxProcess(
                  new NginxProcess.Layout(
                      config.prefix(), config.conf(), config.pidFile(), config.errorLog()),
                  Duration.ofSeconds(20))
              .start();
      routers =
          """
                      type: nginx
                      nginx:
                        mode: %s
                        listen: "127.0.0.1:%d"
                        admin: "127.0.0.1:%d"
                        config_dir: "%s"
                        prefix: "%s"
                        conf: "%s"
          """
              .formatted(
                  router.equals("nginx-reload") ? "reload" : "dynamic",
                  0,
                  0,
                  config.configDir(),
                  config.prefix(),
                  config.conf());
    } else {
      routers =
          """
                      type: file
                      file: { state_dir: routes }
          """;
    }
    try {
      return run(n, router, routers, dir, flags);
    } finally {
      if (nginx != null) {
        nginx.close();
      }
    }
  }

  private String run(int n, String router, String routers, Path dir, List<String> flags)
      throws Exception {
    String serverConfig = System.getProperty("scale.server.config", "");
    try (SyntheticAccessLog log = SyntheticAccessLog.writing(List.of(dir.resolve("access.json")));
        DevServer server =
            new DevServer(
                dir.resolve("temporal"),
                Map.of("TRAFFICCTL_TEMPORAL_DYNAMIC_CONFIG", serverConfig))) {
      server.start();
      Path catalogFile = dir.resolve("trafficctl.yaml");
      Files.writeString(catalogFile, catalog(n, routers));
      DocumentLoader loader = new DocumentLoader();
      Catalog catalog = loader.load(catalogFile, Catalog.class);
      CanarySpec spec =
          loader.parse("canary.yaml", CANARY, CanaryDocument.class).canary().get("svc");
      long serverPid = pidListeningOn(server.address());
      try (WorkerProcess worker =
              WorkerProcess.start(
                  server.address(), dir, dir.resolve("worker.log"), Map.of(), flags);
          RolloutClient client =
              new RolloutClient(
                  ClientConfigProfile.newBuilder().setAddress(server.address()).build(),
                  PayloadEncryption.OFF)) {
        Usage workerUsage = new Usage(worker.pid());
        Usage serverUsage = new Usage(serverPid);
        Instant began = Instant.now();
        List<String> ids = startAll(client, catalog, spec, n);
        Instant deadline = began.plus(RUN_LIMIT);
        List<CanaryResult> results = new ArrayList<>();
        for (String id : ids) {
          results.add(result(client.client(), id, deadline));
        }
        double wall = Duration.between(began, Instant.now()).toMillis() / 1000.0;
        workerUsage.stop();
        serverUsage.stop();
        return router
            + " | "
            + row(n, client.client(), ids, results, wall, workerUsage, serverUsage);
      }
    }
  }

  /**
   * N services svc-0001..N, each routed by {@code router} (its catalog text; ports of 0 are given
   * free ones, a listen and an admin port per service), all reading the one access log.
   */
  private static String catalog(int n, String router) {
    StringBuilder text = new StringBuilder("services:\n");
    for (int i = 1; i <= n; i++) {
      String routerOfService = router;
      while (routerOfService.contains(":0\"")) {
        routerOfService = routerOfService.replaceFirst(":0\"", ":" + Ports.free() + "\"");
      }
      text.append(
          """
            %s:
              environments:
                production:
                  router:
          %s        versions:
                    v1: { servers: ["127.0.0.1:18081"] }
                    v2: { servers: ["127.0.0.1:18082"] }
                  metrics: { provider: nginx-log, access_log: access.json }
          """
              .formatted(service(i), routerOfService));
    }
    return text.toString();
  }

  private static String service(int i) {
    return "svc-%04d".formatted(i);
  }

  /** Starts the N canaries at once, eight at a time, as N pipelines would. */
  private static List<String> startAll(
      RolloutClient client, Catalog catalog, CanarySpec spec, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> started = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        String service = service(i);
        CanaryInput input =
            new CanaryInput(
                service,
                "production",
                "v2",
                spec,
                catalog.find(service, "production").orElseThrow(),
                "bench");
        started.add(
            pool.submit(
                () -> {
                  client.start(input);
                  return input.workflowId();
                }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : started) {
        ids.add(f.get());
      }
      return ids;
    } finally {
      pool.shutdownNow();
    }
  }

  private static CanaryResult result(WorkflowClient client, String id, Instant deadline)
      throws Exception {
    long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    return client
        .newUntypedWorkflowStub(id)
        .getResultAsync(CanaryResult.class)
        .get(left, TimeUnit.MILLISECONDS);
  }

  private static String row(
      int n,
      WorkflowClient client,
      List<String> ids,
      List<CanaryResult> results,
      double wall,
      Usage worker,
      Usage server) {
    List<Long> firstWft = new ArrayList<>();
    List<Long> wft = new ArrayList<>();
    List<Long> activity = new ArrayList<>();
    List<Long> router = new ArrayList<>();
    List<Long> firstStep = new ArrayList<>();
    List<Long> drift = new ArrayList<>();
    long events = 0;
    long failedTasks = 0;
    long stickyTimeouts = 0;
    for (int i = 0; i < ids.size(); i++) {
      WorkflowExecutionHistory history = client.fetchHistory(ids.get(i));
      List<HistoryEvent> all = history.getEvents();
      events += all.size();
      Map<Long, HistoryEvent> byId = new HashMap<>();
      boolean firstWftStarted = false;
      for (HistoryEvent e : all) {
        byId.put(e.getEventId(), e);
        switch (e.getEventType()) {
          case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
            long waited =
                between(
                    byId.get(e.getWorkflowTaskStartedEventAttributes().getScheduledEventId()), e);
            // The first task of each rollout waits on the start's burst; the others, steady state.
            (firstWftStarted ? wft : firstWft).add(waited);
            firstWftStarted = true;
          }
          case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
              activity.add(
                  between(
                      byId.get(e.getActivityTaskStartedEventAttributes().getScheduledEventId()),
                      e));
          case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
            HistoryEvent scheduled =
                byId.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
            if (scheduled
                .getActivityTaskScheduledEventAttributes()
                .getActivityType()
                .getName()
                .equals("SetWeights")) {
              router.add(between(scheduled, e));
            }
          }
          case EVENT_TYPE_WORKFLOW_TASK_FAILED -> failedTasks++;
          case EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> {
            // Not picked up from the worker's sticky queue within 5 s: the server hands the task
            // to the shared queue, nothing is lost. Any other timeout is a failed task.
            if (e.getWorkflowTaskTimedOutEventAttributes().getTimeoutType()
                == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
              stickyTimeouts++;
            } else {
              failedTasks++;
            }
          }
          default -> {}
        }
      }
      Instant workflowStart = instant(all.get(0));
      List<StepRecord> steps = results.get(i).status().steps();
      Instant planned = workflowStart;
      for (StepRecord step : steps) {
        long late = Math.max(0, Duration.between(planned, step.startedAt()).toMillis());
        (planned == workflowStart ? firstStep : drift).add(late);
        planned = step.startedAt().plus(STEP);
      }
    }
    long promoted = results.stream().filter(r -> r.status().phase() == Phase.PROMOTED).count();
    return String.join(
        " | ",
        Integer.toString(n),
        Long.toString(promoted),
        "%.0f".formatted(wall),
        "%.0f".formatted(worker.cpuPercent()),
        Long.toString(worker.peakRssMb()),
        "%.0f".formatted(server.cpuPercent()),
        Long.toString(server.peakRssMb()),
        percentiles(firstWft),
        percentiles(wft),
        percentiles(activity),
        percentiles(firstStep),
        percentiles(drift),
        percentiles(router),
        Long.toString(events / ids.size()),
        Long.toString(failedTasks),
        Long.toString(stickyTimeouts));
  }

  private static long between(HistoryEvent from, HistoryEvent to) {
    return Duration.between(instant(from), instant(to)).toMillis();
  }

  private static Instant instant(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }

  private static String percentiles(List<Long> values) {
    if (values.isEmpty()) {
      return "-";
    }
    List<Long> sorted = values.stream().sorted().toList();
    return rank(sorted, 50) + " / " + rank(sorted, 99);
  }

  /** Nearest-rank percentile. */
  private static long rank(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  /** The process listening on {@code address}'s port: the dev server's. */
  private static long pidListeningOn(String address) throws IOException, InterruptedException {
    String port = address.substring(address.lastIndexOf(':') + 1);
    Process ss = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ss.waitFor();
    int at = out.indexOf("pid=");
    if (at < 0) {
      throw new IllegalStateException("no process listens on " + address + ": " + out);
    }
    int end = at + 4;
    while (end < out.length() && Character.isDigit(out.charAt(end))) {
      end++;
    }
    return Long.parseLong(out.substring(at + 4, end));
  }

  /** A process's CPU time and peak RSS from /proc, sampled every second until stopped. */
  private static final class Usage {

    private static final long TICKS = 100; // USER_HZ on Linux
    private final long pid;
    private final long startTicks;
    private final long startNanos = System.nanoTime();
    private final Thread sampler;
    private volatile long peakRssKb;
    private volatile boolean running = true;
    private double cpuPercent;

    Usage(long pid) {
      this.pid = pid;
      this.startTicks = cpuTicks();
      sampler =
          new Thread(
              () -> {
                while (running) {
                  peakRssKb = Math.max(peakRssKb, rssKb());
                  try {
                    Thread.sleep(1_000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "usage-" + pid);
      sampler.setDaemon(true);
      sampler.start();
    }

    void stop() {
      long ticks = cpuTicks() - startTicks;
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      cpuPercent = 100.0 * ticks / TICKS / seconds;
      running = false;
      sampler.interrupt();
    }

    double cpuPercent() {
      return cpuPercent;
    }

    long peakRssMb() {
      return peakRssKb / 1024;
    }

    private long cpuTicks() {
      String stat = read("/proc/" + pid + "/stat");
      // After the command's closing parenthesis: fields 3.. ; utime and stime are 14 and 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private long rssKb() {
      for (String line : read("/proc/" + pid + "/status").split("\n")) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return 0;
    }

    private static String read(String file) {
      try {
        return Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
