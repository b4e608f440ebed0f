package dev.trafficctl.cli.rollout;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.workflows.abtest.AbTestWorkflow;
import dev.trafficctl.workflows.analysis.AnalysisJudge;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.NotificationFailure;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status view of every strategy, for people: where the rollout is, how long is left, and why it
 * failed, with the values. One model ({@link RolloutStatus}), printed the same everywhere.
 */
public final class StatusView {

  private static final int BAR_WIDTH = 20;
  private static final String INDENT = "            ";

  private final ZoneId zone;
  private final DateTimeFormatter clock;

  public StatusView(ZoneId zone) {
    this.zone = zone;
    this.clock = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
  }

  public ZoneId zone() {
    return zone;
  }

  /** Renders {@code s} as it stands at {@code now}; {@code note} says where it came from. */
  public String render(RolloutStatus s, Instant now, String note) {
    StringBuilder out = new StringBuilder();
    line(
        out,
        "Rollout:",
        String.format(
            Locale.ROOT,
            "%-27s %-16s %s %s -> %s",
            s.service() + " (" + s.env() + ")",
            s.workflowId(),
            capitalize(s.strategy()),
            orDash(s.stableVersion()),
            orDash(s.candidateVersion())));
    line(out, "Progress:", progress(s));
    String since =
        s.phaseSince() == null
            ? ""
            : s.phase().terminal()
                ? ", ended "
                    + clock.format(s.phaseSince())
                    + " ("
                    + SpecDurations.human(Duration.between(s.phaseSince(), now))
                    + " ago)"
                : ", "
                    + SpecDurations.human(Duration.between(s.phaseSince(), now))
                    + " in this phase";
    line(out, "Status:", s.phase().display() + " - " + s.message() + since);
    if (s.lastAnalysis() != null) {
      List<String> lines = analysis(s.lastAnalysis());
      line(out, "Analysis:", lines.get(0));
      for (String more : lines.subList(1, lines.size())) {
        out.append(INDENT).append(more).append('\n');
      }
    }
    boolean first = true;
    for (StepRecord step : s.steps()) {
      line(out, first ? "Steps:" : "", step(step));
      first = false;
    }
    first = true;
    for (NotificationFailure f : s.notificationFailures()) {
      line(
          out,
          first ? "Not sent:" : "",
          clock.format(f.at()) + "  " + f.event() + " on " + f.channel() + ": " + f.error());
      first = false;
    }
    if (note != null) {
      line(out, "Note:", note);
    }
    return out.toString();
  }

  private String progress(RolloutStatus s) {
    // An A/B test's steps are its analyses, and its clock runs to the end of the whole test.
    boolean abTest = AbTestWorkflow.STRATEGY.equals(s.strategy());
    StringBuilder p = new StringBuilder();
    p.append(abTest ? "analysis " : "step ").append(s.step()).append('/').append(s.totalSteps());
    p.append(abTest ? "   treatment weight " : "   weight ").append(s.weight()).append('%');
    if (s.nextWeight() != null) {
      p.append(" -> next ").append(s.nextWeight()).append('%');
    }
    int filled = (int) Math.round(s.weight() / 100.0 * BAR_WIDTH);
    p.append("   [")
        .append("#".repeat(filled))
        .append(".".repeat(BAR_WIDTH - filled))
        .append("] ")
        .append(s.weight())
        .append('%');
    if (s.stepRemaining() != null && !s.stepRemaining().isZero()) {
      p.append("   ")
          .append(SpecDurations.human(s.stepRemaining()))
          .append(abTest ? " left in the test" : " left in step");
      if (s.stepEndsAt() == null) {
        p.append(" (clock stopped)");
      }
    }
    return p.toString();
  }

  private List<String> analysis(AnalysisReport a) {
    List<String> lines = new ArrayList<>();
    String head = a.verdict().wire() + " at " + clock.format(a.at());
    switch (a.verdict()) {
      case FAIL -> lines.add(head + ": " + a.detail());
      case INCONCLUSIVE, ERROR -> lines.add(head + ": " + a.detail());
      case PASS -> lines.add(head);
    }
    List<String> checks = new ArrayList<>();
    for (MetricCheck c : a.checks()) {
      checks.add(
          String.format(
              Locale.ROOT,
              "%-4s %s %s%s (%s %s%s)",
              c.value() == null ? "--" : c.ok() ? "ok" : "FAIL",
              c.metric(),
              AnalysisJudge.format(c.value()),
              c.value() == null ? "" : c.unit(),
              c.atLeast() ? ">=" : "<=",
              AnalysisJudge.format(c.threshold()),
              c.unit()));
    }
    for (int i = 0; i < checks.size(); i += 2) {
      lines.add(
          i + 1 < checks.size()
              ? String.format(Locale.ROOT, "%-34s %s", checks.get(i), checks.get(i + 1))
              : checks.get(i));
    }
    if (a.verdict() != Verdict.ERROR && !a.checks().isEmpty()) {
      Duration window = a.checks().get(0).window();
      // An A/B test's checks have no window: they count users since the test began.
      lines.add(
          String.format(Locale.ROOT, "%,d", a.requests())
              + (window == null
                  ? " users in the smallest variant"
                  : " requests in the last " + SpecDurations.format(window))
              + " (needs "
              + String.format(Locale.ROOT, "%,d", a.minimumRequests())
              + ")");
    }
    return lines;
  }

  private String step(StepRecord step) {
    String held =
        step.held() == null || step.held().isZero()
            ? ""
            : "  (" + SpecDurations.human(step.held()) + ")";
    return String.format(
        Locale.ROOT,
        "%-3d %3d%%  %s  %-8s%s%s",
        step.number(),
        step.weight(),
        clock.format(step.startedAt()),
        step.outcome(),
        step.note() == null ? "" : " " + step.note(),
        held);
  }

  private static void line(StringBuilder out, String label, String text) {
    out.append(String.format(Locale.ROOT, "%-12s", label)).append(text).append('\n');
  }

  private static String capitalize(String s) {
    return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
