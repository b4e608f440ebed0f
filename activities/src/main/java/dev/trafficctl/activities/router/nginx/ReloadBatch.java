package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.activities.router.WriterQueue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit of one nginx's reloads. Every include of a config dir is tested and loaded together,
 * so changes of different services that arrive while a reload runs need not each wait for one of
 * their own: the next holder of the reload lock writes all of them, runs {@code nginx -t} and
 * {@code nginx -s reload} once, and waits until nginx serves the new configuration (a reload is all
 * or nothing: one service's generation live means every include of it is). Measured with 200
 * services routed at once: see docs/capacity.md.
 *
 * <p>When a batch fails (a test refused, a reload not sent or not applied), its files are put back
 * as they were and each change tries again alone, as it would have without batching: a failure is
 * then the change's own, with nginx's message, and does not fail the others.
 */
final class ReloadBatch {

  private static final ConcurrentMap<Key, ReloadBatch> BATCHES = new ConcurrentHashMap<>();

  /** One nginx: its reload lock (config dir), binary and configuration, and its error log. */
  private record Key(Path reloadLock, NginxCommand command, Path errorLog) {}

  /** One change's files: written by the batch that takes it in, put back if that batch fails. */
  interface Render {
    void write() throws IOException;

    void undo() throws IOException;

    /**
     * Waits until nginx serves this change's generation; why not, if it does not.
     *
     * @param tail the error log from just before the reload, where nginx says it gave up
     */
    Optional<String> awaitLive(ErrorLogTail tail);
  }

  /** What became of a change handed to a batch. */
  enum Outcome {
    /** nginx serves it. */
    LIVE,
    /** Its batch failed and its files are as they were before: try it alone. */
    ALONE
  }

  private record Entry(Render render, CompletableFuture<Outcome> outcome) {}

  private final Deque<Entry> waiting = new ArrayDeque<>();
  private final NginxSite nginx;
  private final AtomicInteger reloads = new AtomicInteger();

  private ReloadBatch(NginxSite nginx) {
    this.nginx = nginx;
  }

  /** The batches of the nginx {@code site} is served by. */
  static ReloadBatch of(NginxSite site) {
    Key key =
        new Key(site.reloadLock().toAbsolutePath().normalize(), site.command(), site.errorLog());
    return BATCHES.computeIfAbsent(key, k -> new ReloadBatch(site));
  }

  /**
   * Hands {@code render} to the next reload of this nginx and returns once that reload has been
   * judged. Waiting for the reload lock heartbeats and may be cancelled, as a change's own wait
   * would; once a batch has taken the render in, the render is seen through.
   */
  Outcome reload(Render render) throws IOException {
    Entry mine = new Entry(render, new CompletableFuture<>());
    synchronized (this) {
      waiting.add(mine);
    }
    try {
      WriterQueue.run(
          nginx.reloadLock(),
          "nginx's " + nginx.configDir(),
          lock -> {
            if (!mine.outcome().isDone()) {
              run(drain());
            }
            return null;
          });
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        if (waiting.remove(mine)) {
          throw e;
        }
      }
      // A batch took it in before this attempt gave up its place: it ends shortly.
    }
    return mine.outcome().join();
  }

  /** How many reloads batches of this nginx have sent, in this process. */
  int reloads() {
    return reloads.get();
  }

  private synchronized List<Entry> drain() {
    List<Entry> batch = new ArrayList<>(waiting);
    waiting.clear();
    return batch;
  }

  /** Writes, tests, reloads and confirms {@code batch} as one; every entry gets its outcome. */
  private void run(List<Entry> batch) {
    List<Entry> written = new ArrayList<>();
    Outcome outcome = Outcome.ALONE;
    try {
      for (Entry entry : batch) {
        entry.render().write();
        written.add(entry);
      }
      if (nginx.command().test().ok()) {
        ErrorLogTail tail = ErrorLogTail.mark(nginx.errorLog());
        reloads.incrementAndGet();
        if (nginx.command().reload().ok() && batch.get(0).render().awaitLive(tail).isEmpty()) {
          outcome = Outcome.LIVE;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Each change meets this again alone, and reports it as its own.
    } finally {
      if (outcome == Outcome.ALONE) {
        undo(written);
      }
      for (Entry entry : batch) {
        entry.outcome().complete(outcome);
      }
    }
  }

  private static void undo(List<Entry> written) {
    for (Entry entry : written) {
      try {
        entry.render().undo();
      } catch (IOException | RuntimeException e) {
        // The change's own attempt rewrites its files.
      }
    }
  }
}
