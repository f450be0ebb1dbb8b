package io.ecsbluegreen.app;

import io.ecsbluegreen.api.Overview;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.status.StatusBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Wires the dashboard's {@link Overview} over the desired state, the status book and the reconcile queue. */
@ApplicationScoped
public class OverviewBeans {

    @Produces
    @Singleton
    Overview overview(DesiredStateStore store, StatusBook book, Engine engine) {
        // a fresh epoch per run: a page that polled the previous operator gets everything again
        byte[] epoch = new byte[4];
        new SecureRandom().nextBytes(epoch);
        return new Overview(store::current, book, engine::backlog, HexFormat.of().formatHex(epoch));
    }
}
