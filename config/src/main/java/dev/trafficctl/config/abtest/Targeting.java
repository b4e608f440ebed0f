package dev.trafficctl.config.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ab_test.targeting}: which requests take part in the test. A request takes part when its
 * {@code header} holds one of the {@code segments}; the others are served as before and not
 * counted.
 *
 * @param header request header holding the segment, e.g. {@code X-User-Segment}; required
 * @param segments header values that take part, each once; required, at least one
 */
public record Targeting(String header, List<String> segments) implements Validatable {

  /** Segments are matched in load-balancer configuration: nothing that could end a directive. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  public Targeting {
    segments = segments == null ? null : List.copyOf(segments);
  }

  @Override
  public void validate(Validator at) {
    if (at.required("header", header)) {
      at.header("header", header);
    }
    if (at.required("segments", segments) && at.notEmpty("segments", segments)) {
      Validator list = at.at("segments");
      for (int i = 0; i < segments.size(); i++) {
        String segment = segments.get(i);
        list.index(i).matches("", segment, SEGMENT, "a segment name (" + SEGMENT.pattern() + ")");
        int first = segments.indexOf(segment);
        if (first < i) {
          list.index(i).fail("\"" + segment + "\" is already listed at segments[" + first + "]");
        }
      }
    }
  }
}
