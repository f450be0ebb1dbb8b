package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.observed.HookResult;
import java.util.Map;

/**
 * Runs lifecycle hooks in the background: a pass starts a hook and ends; a later pass sees its result.
 * Results live in memory only: after a restart a hook that was in flight (or succeeded without its
 * progress being recorded on the task set yet) runs again, so hooks must be idempotent.
 */
public interface HookPort {

    /** Starts the hook unless a run with its key is already known; never blocks. */
    void start(HookCall call);

    /** The known runs of a service's hooks, by {@link HookCall#key()}. */
    Map<String, HookResult> results(String service);

    /** Forgets a service's runs that are not of {@code revision} (superseded rollouts). */
    void retain(String service, String revision);

    /** Forgets every run of a service (a retry runs its hooks again). */
    default void forget(String service) {
        retain(service, "\u0000");
    }

    /** Hooks not available: any hook fails with a clear reason. */
    HookPort NONE = new HookPort() {
        @Override
        public void start(HookCall call) {
            throw new IllegalStateException("lifecycle hooks are not available in this process");
        }

        @Override
        public Map<String, HookResult> results(String service) {
            return Map.of();
        }

        @Override
        public void retain(String service, String revision) {
        }
    };
}
