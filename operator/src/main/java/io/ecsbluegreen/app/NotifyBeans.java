package io.ecsbluegreen.app;

import io.ecsbluegreen.notify.Sleeper;
import io.ecsbluegreen.notify.Receiver;
import io.ecsbluegreen.notify.Receivers;
import io.ecsbluegreen.notify.Notifier;
import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.events.EventLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Wires notifications: the {@link Notifier} built from {@code bluegreen.notify.*} subscribes to the
 * {@link EventLog} before the engine starts (so the first events are not missed) and drains after the
 * engine has stopped (so its last events still go out, within {@code drain-timeout}).
 */
@ApplicationScoped
public class NotifyBeans {
    private static final Logger LOG = Logger.getLogger("io.ecsbluegreen.notify");

    @Produces
    @Singleton
    Notifier notifier(OperatorConfig config, MeterRegistry registry, AwsClients aws, EventLog events) {
        Notifier notifier = Receivers.fromConfig(config.notifications(), registry, aws::sns, Sleeper.REAL);
        if (notifier.receivers().isEmpty()) return notifier;
        notifier.start();
        events.subscribe(notifier);
        for (Receiver r : notifier.receivers()) {
            LOG.infof("notifications: %s", r);
        }
        return notifier;
    }

    /** Before EngineBeans' start-up (default priority), which reports the first events. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event, Notifier notifier) {
        // creating the notifier subscribed it
    }

    /** After EngineBeans' shutdown (default priority), which may report last events. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) ShutdownEvent event, Notifier notifier) {
        notifier.close();
    }
}
