package dev.trafficctl.workflows.control;

/**
 * A manual move of all traffic from one color to the other.
 *
 * @param from the color serving now
 * @param to the color to serve
 * @param gradual in weight steps, each judged, rather than at once
 * @param by a person or pipeline
 * @param reason free text, optional
 */
public record SwitchRequest(String from, String to, boolean gradual, String by, String reason) {}
