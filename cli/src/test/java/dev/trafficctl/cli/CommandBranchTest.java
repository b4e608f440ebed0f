package dev.trafficctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** A call that names a leaf builds only that branch, and the leaf behaves as in the whole tree. */
class CommandBranchTest {

  /** Every leaf of the whole tree, as the words that name it. */
  static Stream<List<String>> leaves() {
    List<List<String>> leaves = new ArrayList<>();
    collect(Trafficctl.newCommandLine(), List.of(), leaves);
    return leaves.stream();
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> leaves) {
    Map<String, CommandLine> children = cli.getSubcommands();
    if (children.isEmpty()) {
      leaves.add(path);
    }
    children.forEach(
        (name, child) -> {
          List<String> longer = new ArrayList<>(path);
          longer.add(name);
          collect(child, longer, leaves);
        });
  }

  @ParameterizedTest(name = "trafficctl {0}")
  @MethodSource("leaves")
  void aLeafIsBuiltAloneWithTheSameUsageAndErrors(List<String> path) {
    if (path.equals(List.of("help"))) {
      return; // help reads the whole tree: covered by theHelpCommandAndGroupsGetTheWholeTree
    }
    CommandLine branch = CommandBranch.leafBranch(path.toArray(String[]::new)).orElseThrow();
    CommandLine whole = Trafficctl.newCommandLine();
    CommandLine leafAlone = branch;
    CommandLine leafInTree = whole;
    for (String word : path) {
      assertEquals(1, leafAlone.getSubcommands().size(), "only the named branch is built");
      leafAlone = leafAlone.getSubcommands().get(word);
      leafInTree = leafInTree.getSubcommands().get(word);
    }
    assertEquals(leafInTree.getUsageMessage(), leafAlone.getUsageMessage());

    List<String> badCall = new ArrayList<>(path);
    badCall.add("--no-such-option");
    assertEquals(run(whole, badCall), run(branch, badCall));
  }

  @Test
  void theHelpCommandAndGroupsAndOptionsFirstGetTheWholeTree() {
    for (String[] args :
        List.of(
            new String[] {"help", "traffic"},
            new String[] {"traffic", "canary"},
            new String[] {"traffic", "--help", "canary", "status"},
            new String[] {"traffic", "canry", "status"},
            new String[] {})) {
      assertTrue(CommandBranch.leafBranch(args).isEmpty(), String.join(" ", args));
      assertEquals(3, CommandBranch.forArgs(args).getSubcommands().size() - 1);
    }
  }

  /** Commands in a branch learn of their siblings from the annotations, as in the whole tree. */
  @Test
  void whetherACommandExistsIsReadWithoutTheTree() {
    assertTrue(CommandBranch.exists("traffic", "canary", "deploy"));
    assertTrue(CommandBranch.exists("traffic", "blue-green", "promote"));
    assertTrue(CommandBranch.exists("ab-test"));
    assertEquals(false, CommandBranch.exists("traffic", "migration", "promote"));
    assertEquals(false, CommandBranch.exists("traffic", "canry"));
    List<String> everyLeaf = leaves().map(path -> String.join(" ", path)).toList();
    assertTrue(everyLeaf.stream().allMatch(path -> CommandBranch.exists(path.split(" "))));
  }

  /** Exit code, stdout and stderr of running {@code args} on {@code cli}. */
  private static List<Object> run(CommandLine cli, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args.toArray(String[]::new));
    return List.of(code, out.toString(), err.toString());
  }
}
