package io.coxswain.orchestrator.executor.model;

import io.coxswain.commands.shape.PlatformComponent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

/** Services of a platform component: the ClusterIP Service clients use, and the headless one for pod DNS. */
public final class ComponentServices {

    private ComponentServices() {
    }

    /** {@code <cluster>-<component>:<port>}: any ready pod of the component. */
    public static Service client(ClusterNames names, PlatformComponent component) {
        return new ServiceBuilder()
                .withNewMetadata().withName(names.component(component)).withNamespace(names.namespace())
                .withLabels(names.labels(component.componentName())).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(names.selector(component.componentName()))
                .withPorts(port(component)).endSpec()
                .build();
    }

    /**
     * The StatefulSet's governing Service: each pod gets {@code <pod>.<this>.<namespace>.svc}, the
     * name it advertises to its peers (Connect workers forward requests to the leader by it).
     */
    public static Service headless(ClusterNames names, PlatformComponent component) {
        return new ServiceBuilder()
                .withNewMetadata().withName(names.componentHeadlessService(component)).withNamespace(names.namespace())
                .withLabels(names.labels(component.componentName())).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(names.selector(component.componentName())).withPorts(port(component)).endSpec()
                .build();
    }

    private static ServicePort port(PlatformComponent component) {
        int port = ComponentProfile.of(component).port();
        return new ServicePortBuilder().withName(ComponentProfile.PORT_NAME).withPort(port).withTargetPort(new IntOrString(port))
                .withProtocol("TCP").build();
    }
}
