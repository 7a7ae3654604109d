package io.coxswain.orchestrator.executor.tls;

/**
 * A certificate and its private key, as PEM text. Lives in memory and in Secrets only: never
 * logged, never in a ConfigMap or the command log ({@link #toString} says so).
 */
public record KeyMaterial(String certificate, String key) {

    @Override
    public String toString() {
        return "KeyMaterial[certificate and key withheld]";
    }
}
