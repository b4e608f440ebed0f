package dev.trafficctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.config.ConfigProblem;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.LoadedDocument;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trafficctl validate FILE...}: checks documents without contacting anything. */
@Command(
    name = "validate",
    description = {
      "Check trafficctl documents (canary, blue-green, traffic splitting, load balancer,"
          + " A/B test, service catalog) without contacting anything.",
      "Prints 'ok <file> (<type>)' or one line per problem: file:line:col: field: message.",
      "A valid document may still get warnings, such as a deprecated field and what to write"
          + " instead: file:line:col: warning: field: message. They do not change the exit code."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every document is valid", "2:at least one document is not"})
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin HelpOption helpOption;

  @Mixin OutputOptions output;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Documents to check (YAML or JSON).")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    DocumentLoader loader = new DocumentLoader();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ObjectMapper json = JsonMapping.json();
    ArrayNode results = json.createArrayNode();
    boolean allValid = true;
    for (Path file : files) {
      ObjectNode result = results.addObject().put("file", file.toString());
      try {
        LoadedDocument doc = loader.load(file);
        result.put("valid", true).put("type", doc.type().rootKey());
        report(doc.warnings(), result.putArray("warnings"), json, err);
        if (!output.json()) {
          out.println("ok " + file + " (" + doc.type().title() + ")");
        }
      } catch (InvalidConfigException e) {
        allValid = false;
        result.put("valid", false);
        report(e.problems(), result.putArray("problems"), json, err);
      }
    }
    if (output.json()) {
      out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    }
    out.flush();
    err.flush();
    return allValid ? ExitCode.OK : ExitCode.BAD_INPUT;
  }

  /** Each problem or warning: into {@code into} for JSON output, else one line on {@code err}. */
  private void report(
      List<ConfigProblem> found, ArrayNode into, ObjectMapper json, PrintWriter err) {
    for (ConfigProblem p : found) {
      into.add(json.valueToTree(p));
      if (!output.json()) {
        err.println(p);
      }
    }
  }
}
