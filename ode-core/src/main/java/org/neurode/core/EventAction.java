package org.neurode.core;

/**
 * What an event does to the integration (Hipparchus' {@code Action} without derivative resets).
 *
 * @since 0.1
 */
public enum EventAction {
    /** Record the event, leave the state unchanged. */
    CONTINUE,
    /** The handler changed the state: restart integration from it. */
    RESET_STATE,
    /** Stop the integration at the event; the trajectory's status says so. */
    STOP
}
