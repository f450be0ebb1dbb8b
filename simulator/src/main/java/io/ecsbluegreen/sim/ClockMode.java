package io.ecsbluegreen.sim;

/** How the simulator's {@link SimClock} moves. */
public enum ClockMode {
    /** Time stands still until a test calls {@link SimClock#advance}: deterministic tests. */
    VIRTUAL,
    /** Time follows the system clock, plus whatever {@link SimClock#advance} added: demos. */
    WALL
}
