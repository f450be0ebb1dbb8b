package io.ecsbluegreen.api;

/**
 * The demo account and the catalog manual canary of {@link SimulatedAccountResource}, in an operator of
 * its own: the browser test starts from a catalog that has never rolled out anything but its first
 * revision, whatever ran before it.
 */
public class DashboardAccountResource extends SimulatedAccountResource {}
