package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each recorded action also as a Kubernetes Event on the object it acts on, so that {@code kubectl
 * describe} and {@code kubectl get events} show what Coxswain did to a pod or a StatefulSet, and why,
 * next to what Kubernetes itself did; and, as Warning Events, what it would not do ({@link #warn}). The command log stays the record (the Event names the
 * observation that holds it); Events expire after an hour or so, and writing one is best effort: an
 * executor without the RBAC to create them, or an API server that refuses one, still acts. They are
 * written by a thread of their own, so a reconcile pass never waits for one (1,000 new clusters make
 * about 15,000); beyond {@link #QUEUED} waiting, new ones are dropped.
 */
public final class ActionEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActionEvents.class);
    /** The API server refuses longer messages. */
    private static final int MAX_MESSAGE = 1024;
    static final int QUEUED = 1_000;

    private final KubernetesClient client;
    private final String instance;
    private final Clock clock;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final ExecutorService writer;

    /** @param instance the executor's id, as the Events' reporting instance */
    public ActionEvents(KubernetesClient client, String instance, Clock clock) {
        this.client = client;
        this.instance = instance;
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
            Thread t = new Thread(r, "coxswain-events-" + instance);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Publishes the action on {@code object} (namespaced objects only: a Namespace's own actions stay in the log). */
    public void publish(String clusterId, HasMetadata object, ResourceActionObserved action, String recordedAs) {
        String namespace = object.getMetadata().getNamespace();
        if (namespace == null) {
            return;
        }
        String message = action.getReason() + " (cluster " + clusterId + "; cause " + action.getCauseCommandId() + ", recorded as " + recordedAs + ")";
        publish(namespace, object, action.getAction() == ResourceAction.REPAIR ? "Warning" : "Normal", reason(action.getAction()), message);
    }

    /**
     * A Warning Event on {@code object} of something Coxswain would not do (see {@link ActionRecorder#warn}): namespaced objects,
     * and a Namespace, whose Event goes into that namespace ({@code kubectl get events -n} it shows it).
     */
    public void warn(String clusterId, HasMetadata object, String reason, String message) {
        String namespace = object instanceof Namespace ? object.getMetadata().getName() : object.getMetadata().getNamespace();
        if (namespace != null) {
            publish(namespace, object, "Warning", reason, message + " (cluster " + clusterId + ")");
        }
    }

    private void publish(String namespace, HasMetadata object, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8)).endMetadata()
                .withNewInvolvedObject().withApiVersion(object.getApiVersion()).withKind(object.getKind()).withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName()).withUid(object.getMetadata().getUid()).endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message)
                .withNewSource().withComponent("coxswain-executor").endSource()
                .withReportingComponent("coxswain.io/executor").withReportingInstance(instance)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        writer.execute(() -> write(event));
    }

    private void write(Event event) {
        String namespace = event.getMetadata().getNamespace();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("executor {}: cannot write Kubernetes Events ({} {}); actions are still taken and recorded in the command log."
                        + " Grant the executor 'create' on events to see them in kubectl describe", instance, e.getCode(), e.getMessage());
            } else {
                log.debug("executor {}: Event for {} {}/{} not written: {}", instance, event.getInvolvedObject().getKind(), namespace,
                        event.getInvolvedObject().getName(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }

    /** CREATE → "Create": Events' reasons are UpperCamelCase by convention. */
    static String reason(ResourceAction action) {
        String name = action.name();
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }
}
