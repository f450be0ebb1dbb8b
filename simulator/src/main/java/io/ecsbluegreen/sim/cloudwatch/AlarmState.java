package io.ecsbluegreen.sim.cloudwatch;

/** The states of a CloudWatch alarm ({@code StateValue}). */
public enum AlarmState {
    OK,
    ALARM,
    INSUFFICIENT_DATA
}
