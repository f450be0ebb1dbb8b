package io.ecsbluegreen.app;

import io.ecsbluegreen.awsevents.AwsEventMetrics;
import io.ecsbluegreen.awsevents.EventConsumer;
import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.SourceSync;
import io.ecsbluegreen.loop.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wires the AWS event consumer when {@code bluegreen.events.enabled}: an SQS client of the queue's region,
 * wakes into the engine's work queue and the sources, and the engine's resync stretched to
 * {@code fallback-resync} while events flow. Only this class knows CDI.
 */
@ApplicationScoped
public class AwsEventsBeans {
    private static final Logger LOG = Logger.getLogger(AwsEventsBeans.class);
    private static final Pattern QUEUE_REGION = Pattern.compile("^https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/");

    private volatile EventConsumer consumer;
    private volatile SqsClient sqs;

    // After the engine's own start-up observer (default priority), so the engine runs before events wake it.
    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600) StartupEvent event,
               OperatorConfig config, AwsClients aws, Engine engine, DesiredStateStore store, SourceSync sources, MeterRegistry registry) {
        OperatorConfig.Events settings = config.events();
        if (!settings.enabled()) return;
        if (!config.reconcile().enabled()) {
            LOG.info("aws events: not consumed, reconciling is off");
            return;
        }
        String url = settings.queueUrl().orElseThrow(() -> new IllegalStateException(
                "bluegreen.events.enabled=true needs bluegreen.events.queue-url"));
        Matcher m = QUEUE_REGION.matcher(url);
        sqs = aws.newSqs(m.find() ? m.group(1) : null);
        java.time.Duration normal = config.reconcile().resync();
        java.time.Duration fallback = settings.fallbackResync().compareTo(normal) > 0 ? settings.fallbackResync() : normal;
        consumer = new EventConsumer(sqs, new EventConsumer.Settings(url, settings.waitTime(), settings.retryBase(), settings.retryMax(),
                aws.region(null).id()), store::current, sources::sourceIds, new EventConsumer.Wakes() {
                    @Override
                    public void service(String name) {
                        engine.enqueue(name);
                    }

                    @Override
                    public void source(String sourceId) {
                        sources.sync(sourceId);
                    }

                    @Override
                    public void flowing(boolean flowing) {
                        engine.resyncEvery(flowing ? fallback : normal);
                    }
                }, new AwsEventMetrics(registry));
        consumer.start();
        LOG.infof("aws events: long-polling %s; resync every %ds while events flow, %ds otherwise", url, fallback.toSeconds(),
                normal.toSeconds());
    }

    void stop(@Observes ShutdownEvent event) {
        if (consumer != null) consumer.close();
        if (sqs != null) sqs.close();
    }
}
