package dev.trafficctl.workflows.control;

/**
 * A manual move of all traffic from one color to the other.
 *
 * @param from the color serving now
 * @param to the color to serve
 * @param gradual in weight steps, each judged, rather than at once; false when left out
 * @param by a person or pipeline
 * @param reason free text, optional
 */
public record SwitchRequest(String from, String to, Boolean gradual, String by, String reason) {

  public SwitchRequest {
    // Boxed so that a pipeline may leave it out.
    gradual = Boolean.TRUE.equals(gradual);
  }
}
