package dev.trafficctl.cli.rollout;

import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How a rollout that has ended is named in one line, for a command that found nothing running. */
public final class EndedRollouts {

  private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter EARLIER =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private EndedRollouts() {}

  /**
   * E.g. {@code demo.api: the last rollout (canary v1 -> v2) ended Promoted at 10:02}; the time is
   * {@code zone}'s, with the date when it was not the day of {@code now}.
   */
  public static String describe(RolloutStatus ended, ZoneId zone, Instant now) {
    Instant at = ended.phaseSince() != null ? ended.phaseSince() : ended.updatedAt();
    StringBuilder line =
        new StringBuilder(ended.workflowId())
            .append(": the last rollout (")
            .append(ended.strategy());
    if (ended.stableVersion() != null) {
      line.append(' ').append(ended.stableVersion());
    }
    if (ended.candidateVersion() != null) {
      line.append(" -> ").append(ended.candidateVersion());
    }
    line.append(") ended ").append(ended.phase().display());
    if (at != null) {
      boolean today = LocalDate.ofInstant(at, zone).equals(LocalDate.ofInstant(now, zone));
      line.append(" at ").append((today ? TODAY : EARLIER).format(at.atZone(zone)));
    }
    if (ended.phase() == Phase.FAILED) {
      line.append(": ").append(ended.message());
    }
    return line.toString();
  }
}
