package io.coxswain.sandbox.kafkapods;

/** A pod by namespace and name, as Kubernetes identifies it. */
public record PodKey(String namespace, String pod) {

    @Override
    public String toString() {
        return namespace + "/" + pod;
    }
}
