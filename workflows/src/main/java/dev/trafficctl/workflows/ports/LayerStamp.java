package dev.trafficctl.workflows.ports;

/**
 * Who put a layer in force, and with which change.
 *
 * @param owner the workflow id that changed the layer ({@code production.api})
 * @param change the change's number; a router refuses a change of the layer with a lower one
 */
public record LayerStamp(String owner, long change) {}
