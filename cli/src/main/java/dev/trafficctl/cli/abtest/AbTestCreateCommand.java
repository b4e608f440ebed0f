package dev.trafficctl.cli.abtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.CatalogOptions;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.HelpOption;
import dev.trafficctl.cli.OutputOptions;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.client.ConnectionOptions;
import dev.trafficctl.client.DurationConverter;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.client.payload.PayloadKeyOptions;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.abtest.AbTestDocument;
import dev.trafficctl.config.abtest.AbTestSpec;
import dev.trafficctl.config.abtest.SuccessMetric;
import dev.trafficctl.config.abtest.Variant;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.abtest.AbTestInput;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trafficctl ab-test create new-ui --variants A=50,B=50 --service frontend [--config FILE]}.
 *
 * <p>The test is the {@code ab_test:} document ({@code --config}, else {@code ab-tests/<name>.yaml}
 * beside the catalog when there is one); the flags override its service, weights and duration.
 * Without a document the flags are the whole test: {@code --variants}, {@code --versions}, {@code
 * --metric} (default {@code conversion_rate=0.05}) and {@code --duration} (default 14d).
 *
 * <p>Each variant is served by one catalog version: its {@code config.ui_version}, or the one
 * {@code --versions A=v1,B=v2} names.
 */
@Command(
    name = "create",
    description = "Start an A/B test of a service's variants.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:started",
      "2:bad input",
      "3:Temporal unreachable",
      "4:another rollout owns the service"
    })
final class AbTestCreateCommand implements Callable<Integer> {

  static final Duration DEFAULT_DURATION = Duration.ofDays(14);

  @Spec CommandSpec spec;

  @Mixin HelpOption helpOption;

  @Mixin ConnectionOptions connection;

  @Mixin PayloadKeyOptions payloadKeys;

  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The test's name.")
  String name;

  @Option(names = "--service", paramLabel = "SERVICE", description = "The service tested.")
  String service;

  @Option(
      names = "--variants",
      split = ",",
      paramLabel = "VARIANT=WEIGHT",
      description = "Variants and their weights, the control first: A=50,B=50.")
  Map<String, Integer> variants;

  @Option(
      names = "--versions",
      split = ",",
      paramLabel = "VARIANT=VERSION",
      description = "The catalog version serving each variant (default: its config.ui_version).")
  Map<String, String> versions = new LinkedHashMap<>();

  @Option(
      names = {"-f", "--config"},
      paramLabel = "FILE",
      description = "The ab_test document (default: ab-tests/NAME.yaml beside the catalog).")
  Path config;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long the test runs (default: the document's, else 14d).")
  Duration duration;

  @Option(
      names = "--metric",
      paramLabel = "NAME=THRESHOLD",
      description =
          "Without a document: a success metric and the relative change that wins"
              + " (repeatable; default conversion_rate=0.05).")
  Map<String, Double> metrics = new LinkedHashMap<>();

  @Mixin CatalogOptions where;

  @Option(names = "--by", description = "Who starts it (default: the login name).")
  String by;

  @Override
  public Integer call() throws Exception {
    AbTestInput input = input();
    AbTestSpec test = input.spec();
    String workflowId = input.workflowId();
    try (RolloutClient client =
        new RolloutClient(
            connection.resolve(System.getenv()),
            PayloadEncryption.with(payloadKeys.resolve(System.getenv())))) {
      String runId = client.start(input);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        ObjectNode started = JsonMapping.json().createObjectNode();
        started.put("name", name);
        started.put("workflow_id", workflowId);
        started.put("run_id", runId);
        out.println(
            JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(started));
      } else {
        List<String> parts = new ArrayList<>();
        test.variants()
            .forEach(
                (v, variant) ->
                    parts.add(
                        v + " " + input.variantVersions().get(v) + " " + variant.weight() + "%"));
        out.printf(
            "started A/B test %s as %s (run %s): %s for %s%n",
            name,
            workflowId,
            runId,
            String.join(", ", parts),
            SpecDurations.format(test.duration()));
        if (!client.workerPolling()) {
          out.println(
              "warning: no worker is polling; the test starts when one does (bin/trafficctl-worker)");
        }
      }
      out.flush();
    }
    return ExitCode.OK;
  }

  /** The workflow's input, checked: exit 2 with one line for anything wrong. */
  AbTestInput input() {
    AbTestSpec test = testSpec(where.catalogPath());
    String environment = where.env();
    EnvironmentEntry entry = where.catalogEntry(test.service());
    AbTestInput input =
        new AbTestInput(
            name,
            test.service(),
            environment,
            entry,
            test,
            variantVersions(test),
            Actor.of(by),
            null);
    DocumentLoader.validate("create", input);
    return input;
  }

  /** The document's test with the flags applied, or the flags' test without a document. */
  private AbTestSpec testSpec(Path catalogPath) {
    Path file = config;
    if (file == null) {
      Path beside =
          catalogPath.toAbsolutePath().getParent().resolve("ab-tests").resolve(name + ".yaml");
      file = Files.exists(beside) ? beside : null;
    } else if (!Files.exists(file)) {
      throw new CommandFailure(ExitCode.BAD_INPUT, file + ": no such file (--config)");
    }
    if (file == null) {
      return fromFlags();
    }
    AbTestSpec doc = new DocumentLoader().load(file, AbTestDocument.class).abTest();
    if (!doc.name().equals(name)) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          file + ": ab_test.name: \"" + doc.name() + "\", not the test named here (" + name + ")");
    }
    if (service != null && !service.equals(doc.service())) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          "--service: "
              + service
              + ", but "
              + file
              + " tests service "
              + doc.service()
              + " (ab_test.service)");
    }
    Map<String, Variant> chosen = doc.variants();
    if (variants != null) {
      if (!variants.keySet().equals(doc.variants().keySet())) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT,
            "--variants: names "
                + variants.keySet()
                + ", "
                + file
                + " has variants "
                + doc.variants().keySet());
      }
      chosen = new LinkedHashMap<>();
      for (Map.Entry<String, Variant> v : doc.variants().entrySet()) {
        chosen.put(v.getKey(), new Variant(variants.get(v.getKey()), v.getValue().config()));
      }
    }
    return new AbTestSpec(
        doc.name(),
        doc.service(),
        chosen,
        doc.targeting(),
        duration != null ? duration : doc.duration(),
        doc.minimumSampleSize(),
        doc.successMetrics(),
        doc.monitoring());
  }

  private AbTestSpec fromFlags() {
    if (service == null || variants == null) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          "no ab_test document (--config, or ab-tests/"
              + name
              + ".yaml beside the catalog): --service and --variants are required");
    }
    Map<String, Variant> chosen = new LinkedHashMap<>();
    variants.forEach((v, weight) -> chosen.put(v, new Variant(weight, null)));
    List<SuccessMetric> success = new ArrayList<>();
    (metrics.isEmpty() ? Map.of("conversion_rate", 0.05) : metrics)
        .forEach((metric, threshold) -> success.add(new SuccessMetric(metric, threshold)));
    return new AbTestSpec(
        name,
        service,
        chosen,
        null,
        duration != null ? duration : DEFAULT_DURATION,
        null,
        success,
        null);
  }

  /** Each variant's version: {@code --versions}, else its {@code config.ui_version}. */
  private Map<String, String> variantVersions(AbTestSpec test) {
    for (String v : versions.keySet()) {
      if (!test.variants().containsKey(v)) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT,
            "--versions: \""
                + v
                + "\" is not a variant (variants: "
                + test.variants().keySet()
                + ")");
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    test.variants()
        .forEach(
            (v, variant) -> {
              String version =
                  versions.getOrDefault(v, variant == null ? null : variant.config().uiVersion());
              if (version == null) {
                throw new CommandFailure(
                    ExitCode.BAD_INPUT,
                    "variants."
                        + v
                        + ": no version serves it; give config.ui_version in the document or --versions "
                        + v
                        + "=VERSION");
              }
              out.put(v, version);
            });
    return out;
  }
}
