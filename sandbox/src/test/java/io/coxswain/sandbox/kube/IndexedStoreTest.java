package io.coxswain.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's store answers from an index by kind, namespace and name; these are the answers
 * that must not change because of it: selectors across namespaces, names shared between
 * namespaces, finalizers, resourceVersions and watches from a list's version.
 */
class IndexedStoreTest extends OnSandbox {


    @Test
    void aLabelSelectorAcrossNamespacesReturnsExactlyTheMatchingObjects() {
        String run = Fixtures.newNamespace(client, "sel");
        String a = Fixtures.newNamespace(client, "sel-a");
        String b = Fixtures.newNamespace(client, "sel-b");
        create(a, "one", Map.of("run", run, "app", "kafka"));
        create(a, "two", Map.of("run", run, "app", "zk"));
        create(b, "one", Map.of("run", run, "app", "kafka", "tier", "gold"));
        create(b, "three", Map.of("run", run));
        create(run, "unlabelled", Map.of());

        assertThat(names(client.configMaps().inAnyNamespace().withLabel("run", run).withLabel("app", "kafka").list()))
                .containsExactlyInAnyOrder(a + "/one", b + "/one");
        assertThat(names(client.configMaps().inAnyNamespace().withLabel("run", run).withoutLabel("app", "kafka").list()))
                .containsExactlyInAnyOrder(a + "/two", b + "/three");
        assertThat(names(client.configMaps().inAnyNamespace().withLabel("run", run).withLabel("tier").list()))
                .containsExactly(b + "/one");
        assertThat(names(client.configMaps().inAnyNamespace().withLabel("run", run).withoutLabel("app").list()))
                .containsExactly(b + "/three");
        assertThat(names(client.configMaps().inNamespace(b).withLabel("run", run).list()))
                .containsExactlyInAnyOrder(b + "/one", b + "/three");
        assertThat(client.configMaps().inNamespace(a).withName("one").get().getMetadata().getLabels()).containsEntry("app", "kafka");
        assertThat(client.configMaps().inNamespace(a).withName("three").get()).isNull();
        assertThat(client.namespaces().withName(a).get().getMetadata().getName()).isEqualTo(a);
    }

    @Test
    void aRelabelledObjectLeavesTheSelectorAndADeletedCollectionTakesOnlyItsMatches() {
        String ns = Fixtures.newNamespace(client, "relabel");
        create(ns, "x", Map.of("app", "kafka"));
        create(ns, "y", Map.of("app", "kafka"));
        create(ns, "z", Map.of("app", "other"));

        client.configMaps().inNamespace(ns).withName("x").edit(c -> {
            c.getMetadata().getLabels().put("app", "moved");
            return c;
        });
        assertThat(names(client.configMaps().inNamespace(ns).withLabel("app", "kafka").list())).containsExactly(ns + "/y");

        client.configMaps().inNamespace(ns).withLabel("app", "kafka").delete();
        assertThat(names(client.configMaps().inNamespace(ns).list())).containsExactlyInAnyOrder(ns + "/x", ns + "/z");
    }

    @Test
    void anObjectWithAFinalizerIsMarkedOnDeleteAndGoesWhenTheFinalizerIsRemoved() {
        String ns = Fixtures.newNamespace(client, "finalizer");
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("held")
                .withFinalizers("example.com/hold").endMetadata().build()).create();

        client.configMaps().inNamespace(ns).withName("held").delete();
        ConfigMap marked = client.configMaps().inNamespace(ns).withName("held").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();

        client.configMaps().inNamespace(ns).withName("held").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        assertThat(client.configMaps().inNamespace(ns).withName("held").get()).isNull();
    }

    @Test
    void resourceVersionsOnlyGrowAndAListIsAsOfTheLatest() {
        String ns = Fixtures.newNamespace(client, "versions");
        long previous = 0;
        for (int i = 0; i < 5; i++) {
            ConfigMap created = create(ns, "cm-" + i, Map.of("i", Integer.toString(i)));
            long version = Long.parseLong(created.getMetadata().getResourceVersion());
            assertThat(version).isGreaterThan(previous);
            previous = version;
        }
        ConfigMap edited = client.configMaps().inNamespace(ns).withName("cm-0").edit(c -> {
            c.setData(Map.of("k", "v"));
            return c;
        });
        assertThat(Long.parseLong(edited.getMetadata().getResourceVersion())).isGreaterThan(previous);
        ConfigMapList list = client.configMaps().inNamespace(ns).list();
        long listed = Long.parseLong(list.getMetadata().getResourceVersion());
        assertThat(list.getItems()).allSatisfy(c -> assertThat(Long.parseLong(c.getMetadata().getResourceVersion()))
                .isLessThanOrEqualTo(listed));
    }

    @Test
    void aWatchFromAListsVersionSeesOnlyLaterMatchingChangesInEveryNamespace() {
        String run = Fixtures.newNamespace(client, "watch");
        String other = Fixtures.newNamespace(client, "watch-b");
        create(run, "before", Map.of("run", run));
        String since = client.configMaps().inAnyNamespace().withLabel("run", run).list().getMetadata().getResourceVersion();
        List<String> seen = new CopyOnWriteArrayList<>();

        try (Watch watch = client.configMaps().inAnyNamespace().withLabel("run", run).watch(
                new ListOptionsBuilder().withResourceVersion(since).build(), new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        seen.add(action + " " + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            create(other, "after", Map.of("run", run));
            create(other, "unrelated", Map.of("run", "someone-else"));
            client.configMaps().inNamespace(run).withName("before").edit(c -> {
                c.getMetadata().getLabels().put("run", "gone");
                return c;
            });
            create(run, "last", Map.of("run", run));
            Eventually.until("3 events", () -> seen.size() >= 3);
        }
        assertThat(seen).containsExactly("ADDED " + other + "/after", "DELETED " + run + "/before", "ADDED " + run + "/last");
    }

    private static ConfigMap create(String namespace, String name, Map<String, String> labels) {
        return client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().build()).create();
    }

    private static List<String> names(ConfigMapList list) {
        return list.getItems().stream().map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName())
                .collect(Collectors.toList());
    }
}
