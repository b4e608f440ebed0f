package dev.trafficctl.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the image Jib wrote (target/jib-image.tar, docker-save format) the way a container engine
 * would: manifest.json, the config JSON and the layers. Then, as root, runs it without an engine:
 * the layers unpacked into a directory, the programs started in a chroot with the image's user,
 * working directory and environment.
 */
class ContainerImageTest {

  private static final String WORKER_MAIN = "dev.trafficctl.worker.TrafficWorker";
  private static final String CLI = "usr/local/bin/trafficctl";
  private static final String JAVA = "opt/java/openjdk/bin/java";

  /** jlink writes the runtime's modules here, as {@code MODULES="java.base java.logging ..."}. */
  private static final String JAVA_RELEASE = "opt/java/openjdk/release";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A layer's entries by path (no leading slash), in the order of the image's layers. */
  private record Layer(String file, String diffId, Map<String, TarArchiveEntry> entries) {}

  private static Path imageTar;
  private static JsonNode config;
  private static List<Layer> layers;
  private static final Map<String, byte[]> smallFiles = new HashMap<>();

  @BeforeAll
  static void readImage() throws IOException {
    imageTar = Path.of(System.getProperty("image.tar"));
    if (!Files.isRegularFile(imageTar)) {
      assertNotEquals(
          "true",
          System.getenv("CI"),
          imageTar + " missing: CI builds the base (scripts/base-image.sh) before mvn verify");
      Assumptions.abort(
          imageTar + " not built (no base image: sudo scripts/base-image.sh builds it)");
    }
    Map<String, byte[]> json = new HashMap<>();
    Map<String, Map<String, TarArchiveEntry>> layerEntries = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(imageTar))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().endsWith(".json")) {
          json.put(e.getName(), tar.readAllBytes());
        } else if (e.getName().endsWith(".tar.gz")) {
          layerEntries.put(e.getName(), listLayer(new GZIPInputStream(tar)));
        }
      }
    }
    JsonNode manifest = JSON.readTree(json.get("manifest.json")).get(0);
    config = JSON.readTree(json.get(field(manifest, "Config").asText()));
    JsonNode diffIds = config.at("/rootfs/diff_ids");
    JsonNode files = field(manifest, "Layers");
    assertEquals(files.size(), diffIds.size(), "one diff_id per layer");
    layers = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i).asText();
      layers.add(new Layer(file, diffIds.get(i).asText(), layerEntries.get(file)));
    }
  }

  /**
   * Docker writes manifest.json's keys capitalized, other tools lower-case; engines accept both.
   */
  private static JsonNode field(JsonNode node, String name) {
    JsonNode value = node.has(name) ? node.get(name) : node.get(name.toLowerCase(Locale.ROOT));
    assertNotNull(value, "manifest.json has no " + name);
    return value;
  }

  private static Map<String, TarArchiveEntry> listLayer(InputStream gzipped) throws IOException {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    TarArchiveInputStream layer = new TarArchiveInputStream(gzipped);
    for (TarArchiveEntry e = layer.getNextEntry(); e != null; e = layer.getNextEntry()) {
      String path = normalize(e.getName());
      entries.put(path, e);
      if (path.equals("etc/passwd")
          || path.equals("app/jib-classpath-file")
          || path.equals(JAVA_RELEASE)) {
        smallFiles.put(path, layer.readAllBytes());
      }
    }
    return entries;
  }

  private static String normalize(String name) {
    String path = name.startsWith("./") ? name.substring(2) : name;
    path = path.startsWith("/") ? path.substring(1) : path;
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static Layer layerWith(String path) {
    Layer found = null;
    for (Layer layer : layers) {
      if (layer.entries().containsKey(path)) {
        found = layer; // the upper layer wins
      }
    }
    assertNotNull(found, "no layer has /" + path);
    return found;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void runsAsTheUnprivilegedUserTheBaseDefines() {
    String user = config.at("/config/User").asText();
    assertEquals("10001:10001", user, "numeric, so runAsNonRoot can check it");
    String passwd = new String(smallFiles.get("etc/passwd"), StandardCharsets.UTF_8);
    assertTrue(
        passwd.lines().anyMatch(l -> l.startsWith("trafficctl:x:10001:10001:")),
        "the base's /etc/passwd names uid 10001: " + passwd);
    String workDir = config.at("/config/WorkingDir").asText();
    assertEquals("/var/lib/trafficctl", workDir);
    TarArchiveEntry dir = layerWith(normalize(workDir)).entries().get(normalize(workDir));
    assertTrue(dir.isDirectory());
    assertEquals(10001L, dir.getLongUserId(), "the working directory belongs to the user");
  }

  @Test
  void entrypointRunsTheWorkerOnJibsClasspathListeningOutsideTheContainer() {
    List<String> entrypoint = texts(config.at("/config/Entrypoint"));
    assertEquals("java", entrypoint.get(0));
    int main = entrypoint.indexOf(WORKER_MAIN);
    assertTrue(main > 0, "entrypoint starts " + WORKER_MAIN + ": " + entrypoint);
    assertEquals(List.of("-cp", "@/app/jib-classpath-file"), entrypoint.subList(main - 2, main));
    assertEquals(List.of("--health-host=0.0.0.0"), entrypoint.subList(main + 1, entrypoint.size()));
    assertTrue(config.at("/config/Cmd").isMissingNode() || config.at("/config/Cmd").isNull());
  }

  @Test
  void exposesTheHealthAndMetricsPort() {
    Set<String> ports = new TreeSet<>();
    config.at("/config/ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertEquals(Set.of(System.getProperty("worker.health.port") + "/tcp"), ports);
  }

  @Test
  void environmentIsWhatTheReadmeDocuments() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("readme")));
    int start = readme.indexOf("\n## Container image\n");
    assertTrue(start >= 0, "README.md has a 'Container image' section");
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]*=[^`]*)`").matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> env = new TreeSet<>(texts(config.at("/config/Env")));
    env.removeIf(e -> e.startsWith("PATH="));
    assertEquals(env, documented, "the image's Env (but PATH) and the README's NAME=value list");
  }

  @Test
  void layersHoldBothProgramsAndTheirLaunchers() {
    Set<String> jars = new TreeSet<>();
    layers.forEach(
        l ->
            l.entries().keySet().stream()
                .filter(p -> p.startsWith("app/libs/trafficctl-"))
                .forEach(jars::add));
    assertTrue(jars.stream().anyMatch(j -> j.startsWith("app/libs/trafficctl-worker")), "" + jars);
    assertTrue(jars.stream().anyMatch(j -> j.startsWith("app/libs/trafficctl-cli")), "" + jars);
    assertFalse(
        jars.stream().anyMatch(j -> j.startsWith("app/libs/trafficctl-test-fixtures")),
        "the tests' fixtures stay out of the image: " + jars);
    String classpath =
        new String(smallFiles.get("app/jib-classpath-file"), StandardCharsets.UTF_8).strip();
    for (String jar : jars) {
      assertTrue(classpath.contains("/" + jar), jar + " on the classpath: " + classpath);
    }
    assertFalse(classpath.contains("slf4j-nop"), "one SLF4J provider: " + classpath);

    TarArchiveEntry cli = layerWith(CLI).entries().get(CLI);
    assertTrue(cli.isFile());
    assertEquals(0755, cli.getMode() & 0777, "/" + CLI + " is executable");
    assertTrue(
        texts(config.at("/config/Env")).stream()
            .anyMatch(e -> e.startsWith("PATH=") && e.contains(":/usr/local/bin:")),
        "/usr/local/bin is on PATH");
  }

  @Test
  void theBaseLayersCarryTheJavaRuntime() throws IOException {
    // The image's first layers are the base's, unchanged: same diff_ids, same history.
    Path baseTar = Path.of(System.getProperty("base.image.tar"));
    List<String> baseDiffIds = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(baseTar))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().endsWith(".json") && !e.getName().equals("manifest.json")) {
          baseDiffIds.addAll(texts(JSON.readTree(tar.readAllBytes()).at("/rootfs/diff_ids")));
        }
      }
    }
    assertFalse(baseDiffIds.isEmpty());
    List<String> imageDiffIds = layers.stream().map(Layer::diffId).toList();
    assertEquals(baseDiffIds, imageDiffIds.subList(0, baseDiffIds.size()));

    Layer javaLayer = layerWith(JAVA);
    assertTrue(
        baseDiffIds.contains(javaLayer.diffId()), "java comes from a base layer, not from Jib");
    TarArchiveEntry java = javaLayer.entries().get(JAVA);
    assertTrue(java.isFile() && (java.getMode() & 0111) != 0, "/" + JAVA + " is executable");
    assertTrue(
        texts(config.at("/config/Env")).stream()
            .anyMatch(e -> e.startsWith("PATH=/opt/java/openjdk/bin:")),
        "the entrypoint's java is found on PATH");
  }

  /**
   * What makes a rebuild give the same layers: no file carries the time it was built (the base
   * dates its files 0, Jib 1970-01-01T00:00:01), ldconfig's per-build cache is gone, and JDK 17's
   * class-data archive, which is never the same twice, is alone in the last base layer.
   */
  @Test
  void noLayerCarriesItsBuildTime() {
    Instant jibEpoch = Instant.ofEpochSecond(1);
    for (Layer layer : layers) {
      for (TarArchiveEntry e : layer.entries().values()) {
        assertFalse(
            e.getModTime().toInstant().isAfter(jibEpoch),
            layer.file() + ": /" + e.getName() + " dated " + e.getModTime().toInstant());
      }
    }
    assertTrue(
        layers.stream().noneMatch(l -> l.entries().containsKey("var/cache/ldconfig/aux-cache")));
    Layer cds = layerWith("opt/java/openjdk/lib/server/classes.jsa");
    assertEquals(
        List.of("opt/java/openjdk/lib/server/classes.jsa"),
        cds.entries().keySet().stream().filter(p -> !cds.entries().get(p).isDirectory()).toList(),
        "the class-data archive has a layer of its own");
  }

  /**
   * The base's runtime is made by jlink from a fixed module list (scripts/base-image.sh). jdeps
   * over the classes and jars the image carries names the modules they use; each must be in the
   * runtime, or a code path that needs a missing one would fail only when it runs in a container.
   */
  @Test
  void theJavaRuntimeHasEveryModuleTheProgramsUse() throws Exception {
    Matcher release =
        Pattern.compile("(?m)^MODULES=\"([^\"]*)\"")
            .matcher(new String(smallFiles.get(JAVA_RELEASE), StandardCharsets.UTF_8));
    assertTrue(release.find(), "/" + JAVA_RELEASE + " lists no MODULES");
    Set<String> runtime = new TreeSet<>(List.of(release.group(1).split(" ")));

    Path app = Files.createTempDirectory("trafficctl-image-app");
    try {
      List<String> jars = extractApp(app);
      List<String> jdeps =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
                  "--multi-release",
                  "17",
                  "--ignore-missing-deps",
                  "--print-module-deps"));
      jdeps.addAll(jars);
      Result used = run(jdeps, Map.of());
      check(used);
      // One line, java.base,java.logging,...; warnings about the jars (split packages) go first.
      String modules =
          used.output()
              .lines()
              .filter(l -> l.matches("[a-z0-9.]+(,[a-z0-9.]+)*"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("jdeps named no modules: " + used.output()));
      Set<String> needed = new TreeSet<>(List.of(modules.split(",")));
      System.out.println("jdeps: the image's programs use " + needed + "; runtime has " + runtime);
      assertTrue(needed.contains("java.base"), used.output());
      Set<String> missing = new TreeSet<>(needed);
      missing.removeAll(runtime);
      assertEquals(Set.of(), missing, "modules used but not in the jlink runtime");
    } finally {
      deleteUnlessMounted(app);
    }
  }

  /** Writes the image's app/ tree under {@code dir}; returns its jars' paths. */
  private static List<String> extractApp(Path dir) throws IOException {
    List<String> jars = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(imageTar))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (!e.getName().endsWith(".tar.gz")) {
          continue;
        }
        TarArchiveInputStream layer = new TarArchiveInputStream(new GZIPInputStream(tar));
        for (TarArchiveEntry f = layer.getNextEntry(); f != null; f = layer.getNextEntry()) {
          String path = normalize(f.getName());
          if (f.isFile() && path.startsWith("app/")) {
            Path target = dir.resolve(path);
            Files.createDirectories(target.getParent());
            Files.write(target, layer.readAllBytes());
            if (path.endsWith(".jar")) {
              jars.add(target.toString());
            }
          }
        }
      }
    }
    assertFalse(jars.isEmpty(), "no jars under /app");
    return jars;
  }

  /**
   * Inside a private mount namespace (unshare's default propagation is private: nothing leaks to
   * the host, nothing is left to unmount): the host's /dev where an engine would provide one (the
   * JVM seeds SecureRandom from /dev/urandom; without it, seeding spins for seconds), then chroot
   * as the image's user into its working directory. Arguments: rootfs, user, directory, command.
   */
  private static final String IN_IMAGE =
      """
      root=$1 user=$2 dir=$3
      shift 3
      mount --rbind /dev "$root/dev" || exit 125
      exec chroot --userspec="$user" "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$dir" "$@"
      """;

  /**
   * Runs the image without a container engine: its layers unpacked in order into a directory, then,
   * in a private mount and PID namespace with its own /proc (the java launcher finds its libraries
   * through /proc/self/exe) and /dev, chroot into it as the image's user, in its working directory,
   * with nothing but its Env. Needs root and unshare; skipped otherwise.
   */
  @Test
  void theProgramsStartInsideTheImageFilesystem() throws Exception {
    Assumptions.assumeTrue(
        "0".equals(run(List.of("id", "-u"), Map.of()).output().strip()),
        "running the image's programs in a chroot needs root");
    Path dir = Files.createTempDirectory("trafficctl-image");
    try {
      startProgramsInside(dir);
    } finally {
      deleteUnlessMounted(dir);
    }
  }

  private static void startProgramsInside(Path dir) throws Exception {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs);
    Path unpacked = dir.resolve("image");
    Files.createDirectories(unpacked);
    check(run(List.of("tar", "-xf", imageTar.toString(), "-C", unpacked.toString()), Map.of()));
    for (Layer layer : layers) {
      check(
          run(
              List.of(
                  "tar",
                  "--warning=no-unknown-keyword",
                  "-xzpf",
                  unpacked.resolve(layer.file()).toString(),
                  "-C",
                  rootfs.toString()),
              Map.of()));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : texts(config.at("/config/Env"))) {
      env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
    }
    List<String> inImage =
        List.of(
            "unshare",
            "--mount",
            "--pid",
            "--fork",
            "--propagation=private",
            "--mount-proc=" + rootfs.resolve("proc"),
            "/bin/sh",
            "-c",
            IN_IMAGE,
            "sh",
            rootfs.toString(),
            config.at("/config/User").asText(),
            config.at("/config/WorkingDir").asText());
    Result probe = run(concat(inImage, List.of("true")), env);
    Assumptions.assumeTrue(
        probe.exitCode() == 0, "unshare/chroot not permitted here: " + probe.output());

    String version = System.getProperty("project.version");
    Result cli = run(concat(inImage, List.of("trafficctl", "--version")), env);
    assertEquals(0, cli.exitCode(), cli.output());
    assertEquals("trafficctl " + version, cli.output().strip(), "no JVM notes in the CLI's output");

    List<String> entrypoint = texts(config.at("/config/Entrypoint"));
    Result worker = run(concat(inImage, concat(entrypoint, List.of("--version"))), env);
    assertEquals(0, worker.exitCode(), worker.output());
    assertTrue(worker.output().contains("trafficctl-worker " + version), worker.output());

    // Connecting exercises gRPC, Netty and TLS-free networking in the jlink runtime: with no
    // Temporal at the address, the worker exits 3 after its connect timeout.
    Result unreachable =
        run(
            concat(
                inImage,
                concat(entrypoint, List.of("--address=127.0.0.1:1", "--connect-timeout=1s"))),
            env);
    assertEquals(3, unreachable.exitCode(), unreachable.output());
  }

  /**
   * Deletes the unpacked image, but never through a mount: should /dev or /proc still be mounted in
   * it (they cannot be, outside the namespace that mounted them), the directory is left.
   */
  private static void deleteUnlessMounted(Path dir) throws IOException {
    for (String mountPoint : List.of("rootfs/dev", "rootfs/proc")) {
      Path path = dir.resolve(mountPoint);
      if (Files.isDirectory(path)) {
        try (Stream<Path> children = Files.list(path)) {
          if (children.findAny().isPresent()) {
            throw new IllegalStateException(path + " is not empty (still mounted?); left " + dir);
          }
        }
      }
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (!env.isEmpty()) {
      // The image's Env and nothing else (the JVM finds unshare on this process's PATH; unshare
      // finds chroot on the image's, which has /usr/sbin).
      builder.environment().clear();
      builder.environment().putAll(env);
    }
    Path err = Files.createTempFile("image-test", ".err");
    try {
      builder.redirectError(err.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      String stderr = Files.readString(err);
      String stdout = new String(out, StandardCharsets.UTF_8);
      return new Result(
          process.exitValue(), stderr.isEmpty() ? stdout : stdout + "\n[stderr]\n" + stderr);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static void check(Result result) {
    assertEquals(0, result.exitCode(), result.output());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
