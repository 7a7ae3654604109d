package io.coxswain.sandbox.kube.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history of a StatefulSet's pod template, kept as ControllerRevision objects named
 * {@code <sts>-<hash of the template>} as Kubernetes does. A pod's {@code controller-revision-hash}
 * label names the revision it was made from; keeping the templates lets a pod below a rolling
 * update's partition be re-created from the old template.
 */
final class ControllerRevisions {

    static final String REVISION_LABEL = "controller-revision-hash";
    private static final Logger log = LoggerFactory.getLogger(ControllerRevisions.class);
    /** Kubernetes' alphabet for generated names: no vowels, so no words, and no look-alikes. */
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int DEFAULT_HISTORY_LIMIT = 10;

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    /** For JSON trees only (maps, lists, strings): model objects go through {@link #serialization}. */
    private final ObjectMapper mapper = new ObjectMapper();

    ControllerRevisions(KubernetesClient client) {
        this.client = client;
        this.serialization = client.getKubernetesSerialization();
    }

    /** The name of the revision {@code sts}'s current template belongs to. */
    String updateRevisionName(StatefulSet sts) {
        return sts.getMetadata().getName() + "-" + hash(sts.getSpec().getTemplate());
    }

    /** Makes sure the revision of {@code sts}'s current template is stored; returns its name. */
    String ensureUpdateRevision(StatefulSet sts) {
        String name = updateRevisionName(sts);
        String namespace = sts.getMetadata().getNamespace();
        if (client.apps().controllerRevisions().inNamespace(namespace).withName(name).get() != null) {
            return name;
        }
        long next = owned(sts).stream().map(ControllerRevision::getRevision).filter(r -> r != null)
                .max(Long::compare).orElse(0L) + 1;
        Map<String, String> labels = new HashMap<>(matchLabels(sts));
        labels.put(REVISION_LABEL, name.substring(name.lastIndexOf('-') + 1));
        Map<String, Object> template = tree(sts.getSpec().getTemplate());
        template.put("$patch", "replace");
        ControllerRevision revision = new ControllerRevisionBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .withOwnerReferences(StatefulSetPods.ownerReference(sts)).endMetadata()
                .withRevision(next).withData(Map.of("spec", Map.of("template", template))).build();
        try {
            client.apps().controllerRevisions().inNamespace(namespace).resource(revision).create();
            log.info("StatefulSet {}/{}: new revision {} (number {})", namespace, sts.getMetadata().getName(), name, next);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return name;
    }

    /** The template stored under {@code revisionName}, if that revision still exists. */
    Optional<PodTemplateSpec> template(String namespace, String revisionName) {
        ControllerRevision revision = client.apps().controllerRevisions().inNamespace(namespace).withName(revisionName).get();
        if (revision == null || !(revision.getData() instanceof Map<?, ?> data) || !(data.get("spec") instanceof Map<?, ?> spec)) {
            return Optional.empty();
        }
        Map<?, ?> template = new HashMap<>((Map<?, ?>) spec.get("template"));
        template.remove("$patch");
        return Optional.of(serialization.convertValue(template, PodTemplateSpec.class));
    }

    /** Deletes the oldest revisions beyond the history limit that no pod and no status names. */
    void prune(StatefulSet sts, Set<String> inUse) {
        int limit = Optional.ofNullable(sts.getSpec().getRevisionHistoryLimit()).orElse(DEFAULT_HISTORY_LIMIT);
        List<ControllerRevision> unused = owned(sts).stream()
                .filter(r -> !inUse.contains(r.getMetadata().getName()))
                .sorted(Comparator.comparing(ControllerRevision::getRevision, Comparator.nullsFirst(Long::compare)))
                .collect(Collectors.toList());
        for (ControllerRevision old : unused.subList(0, Math.max(0, unused.size() - limit))) {
            client.apps().controllerRevisions().inNamespace(sts.getMetadata().getNamespace()).resource(old).delete();
        }
    }

    /** Deletes every revision owned by the StatefulSet with uid {@code uid}, as the garbage collector would. */
    void deleteOwnedBy(String namespace, String uid) {
        client.apps().controllerRevisions().inNamespace(namespace).list().getItems().stream()
                .filter(r -> StatefulSetPods.isOwnedBy(r.getMetadata(), uid))
                .forEach(r -> client.apps().controllerRevisions().inNamespace(namespace).resource(r).delete());
    }

    /** The set's revisions, adopting those a set of the same name left behind when it was deleted with orphan propagation. */
    private List<ControllerRevision> owned(StatefulSet sts) {
        String prefix = sts.getMetadata().getName() + "-";
        List<ControllerRevision> owned = new ArrayList<>();
        for (ControllerRevision r : client.apps().controllerRevisions().inNamespace(sts.getMetadata().getNamespace()).list().getItems()) {
            if (StatefulSetPods.isOwnedBy(r.getMetadata(), sts.getMetadata().getUid())) {
                owned.add(r);
            } else if (StatefulSetPods.controllingStatefulSet(r.getMetadata()).isEmpty() && r.getMetadata().getName().startsWith(prefix)
                    && StatefulSetPods.selects(sts, r.getMetadata())) {
                owned.add(client.apps().controllerRevisions().inNamespace(sts.getMetadata().getNamespace())
                        .withName(r.getMetadata().getName()).edit(a -> {
                            a.getMetadata().setOwnerReferences(new ArrayList<>(List.of(StatefulSetPods.ownerReference(sts))));
                            return a;
                        }));
            }
        }
        return owned;
    }

    /** A model object as plain maps and lists. */
    private Map<String, Object> tree(Object model) {
        try {
            return mapper.readValue(serialization.asJson(model), JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + model.getClass().getSimpleName(), e);
        }
    }

    private static Map<String, String> matchLabels(StatefulSet sts) {
        return sts.getSpec().getSelector() == null || sts.getSpec().getSelector().getMatchLabels() == null
                ? Map.of() : sts.getSpec().getSelector().getMatchLabels();
    }

    /**
     * A stable short hash of a template: FNV-1a over its JSON with map keys sorted (two equal
     * templates built in a different order hash alike), spelled in Kubernetes' safe alphabet.
     */
    private String hash(PodTemplateSpec template) {
        byte[] canonical;
        try {
            canonical = mapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(tree(template));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a pod template", e);
        }
        int h = 0x811c9dc5;
        for (byte b : canonical) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        String digits = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder encoded = new StringBuilder(digits.length());
        for (char c : digits.toCharArray()) {
            encoded.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length())); // as Kubernetes' SafeEncodeString
        }
        return encoded.toString();
    }
}
