/**
 * A simulated Kubernetes cluster for {@code dev} mode and tests: start one with
 * {@link io.coxswain.sandbox.kube.SandboxKubernetes#start(int, io.coxswain.sandbox.kube.PodRuntime)}
 * and talk to it over HTTP like any cluster (its {@code client()}, its {@code url()}, or the
 * kubeconfig it writes; kubectl works against it).
 *
 * <p>Feature packages:
 * <ul>
 * <li>{@code apiserver}: fabric8's mock API server in CRUD mode, with what a real API server adds:
 *     discovery with short names, status subresources of built-in kinds, API defaults, the update
 *     validation of immutable fields (422 Invalid, as a real API server words it), graceful
 *     pod deletion, the scale subresource, strategic-merge and apply patches, watches over plain
 *     HTTP for client-go, server-side Table printing. Its store is indexed by kind, namespace and
 *     name (label and field selectors are evaluated over the kind and namespace asked for), so a
 *     request costs what it returns rather than what the store holds.</li>
 * <li>{@code apps}: the StatefulSet controller (ordinals, claims, OrderedReady/Parallel,
 *     RollingUpdate with partition, OnDelete, ControllerRevisions, status).</li>
 * <li>{@code kubelet}: the one node, running pods through a {@link io.coxswain.sandbox.kube.PodRuntime}.</li>
 * <li>{@code storage}: binds each claim to a new volume, and grows it when its request grows and its
 *     storage class allows expansion; the default class {@code standard} does. {@code namespaces}: marks
 *     namespaces Active.</li>
 * </ul>
 *
 * <p>Known differences from a real cluster, so that nobody relies on them:
 * <ul>
 * <li>No admission or RBAC, and no validation but that of updates of the fields a real API server
 *     keeps immutable (StatefulSet spec but for replicas, ordinals, template, updateStrategy, claim
 *     retention and minReadySeconds; Deployment selector; claim spec but for a bound claim's growing
 *     storage request; Service cluster IPs; immutable Secrets and ConfigMaps; Secret type): any other
 *     well-formed object is accepted, in any namespace, even one that does not exist. No OpenAPI documents: {@code kubectl apply} needs
 *     {@code --validate=false}.</li>
 * <li>Server-side apply is a strategic merge: fields a manager stops applying are not removed,
 *     and managers never conflict. Defaults are filled in on create and update (PUT, and the
 *     patch types above), not on JSON and JSON-merge patches, which keep what is stored; so such a
 *     patch that drops a Service's cluster IP or a port's node port drops it here, where a real API
 *     server keeps the allocated value (a PUT keeps both here too). Node ports are never allocated.</li>
 * <li>Watches over plain HTTP (kubectl, client-go) are long polls, so {@code kubectl get --watch}
 *     ends after its first answer; fabric8 watches (WebSocket) are streamed as usual.</li>
 * <li>Controllers present: StatefulSet (adopting orphaned pods), kubelet, volume binding and expansion,
 *     namespace phase, and the garbage collection of a deleted StatefulSet's pods and revisions (none
 *     when it is deleted with orphan propagation). Absent: Deployments/ReplicaSets,
 *     Services' endpoints, PodDisruptionBudget status, namespace deletion of contents, general
 *     owner-reference garbage collection, node pressure, DNS. Every pod has IP 127.0.0.1.</li>
 * <li>A gracefully deleted pod carries the finalizer {@code sandbox.coxswain.io/kubelet} while it
 *     terminates (that is how it stays visible in the store until its runtime has stopped).</li>
 * </ul>
 */
package io.coxswain.sandbox.kube;
