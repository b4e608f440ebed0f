package dev.trafficctl.cli;

import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line for one invocation. picocli reads every command's annotations when it builds a
 * tree, which for the whole of trafficctl's took about half of a {@code status} call's start-up; a
 * call that names one leaf command ({@code traffic canary status api ...}) needs that command's
 * model only. Its groups are then bare names, enough for the usage line ({@code Usage: trafficctl
 * traffic canary status ...}) and for dispatch. Anything else (a group's own usage, an option or an
 * unknown word before the leaf, {@code help}) gets the whole tree, so suggestions and command lists
 * stay complete.
 */
public final class CommandBranch {

  private CommandBranch() {}

  /** The command line that runs {@code args}: one branch when they name a leaf, else the tree. */
  static CommandLine forArgs(String[] args) {
    return leafBranch(args).orElseGet(Trafficctl::newCommandLine);
  }

  /** The branch from the root to the leaf {@code args} name before any option, if they do. */
  static Optional<CommandLine> leafBranch(String[] args) {
    CommandLine.IFactory factory = CommandLine.defaultFactory();
    CommandLine root = bare(factory, Trafficctl.class, "trafficctl");
    CommandLine parent = root;
    Class<?> group = Trafficctl.class;
    for (String word : args) {
      Class<?> child = childNamed(group, word);
      if (child == null || child == CommandLine.HelpCommand.class) {
        return Optional.empty();
      }
      if (child.getAnnotation(Command.class).subcommands().length == 0) {
        parent.addSubcommand(word, new CommandLine(child, factory));
        return Optional.of(Trafficctl.withOneLineErrors(root));
      }
      CommandLine next = bare(factory, child, word);
      parent.addSubcommand(word, next);
      parent = next;
      group = child;
    }
    return Optional.empty();
  }

  /**
   * Whether {@code trafficctl WORDS...} names a command, read from the annotations: a command that
   * runs in a branch sees only its own ancestors in the tree, not their other children.
   */
  public static boolean exists(String... words) {
    Class<?> command = Trafficctl.class;
    for (String word : words) {
      command = childNamed(command, word);
      if (command == null) {
        return false;
      }
    }
    return true;
  }

  /** A group as a name only: its options and other children are left unread. */
  private static CommandLine bare(CommandLine.IFactory factory, Class<?> type, String name) {
    try {
      return new CommandLine(CommandSpec.wrapWithoutInspection(factory.create(type)).name(name));
    } catch (Exception e) {
      throw new IllegalStateException("cannot create " + type.getName(), e);
    }
  }

  /** {@code group}'s subcommand called {@code name} (a name or an alias), or null. */
  private static Class<?> childNamed(Class<?> group, String name) {
    for (Class<?> child : group.getAnnotation(Command.class).subcommands()) {
      Command command = child.getAnnotation(Command.class);
      if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) {
        return child;
      }
    }
    return null;
  }
}
