package io.coxswain.bench;

/**
 * One line of the results table: Coxswain's figure beside an anchor measured in the same run on the
 * same machine. {@code higherIsBetter} says which way the ratio reads.
 */
public record Result(String metric, double coxswain, double anchor, String unit, String anchorName, boolean higherIsBetter, String goal) {

    /** Coxswain's figure as a fraction of the anchor's (for times: anchor / coxswain, so 1.0 = as fast as the anchor). */
    public double ratio() {
        if (anchor == 0 || coxswain == 0) {
            return Double.NaN;
        }
        return higherIsBetter ? coxswain / anchor : anchor / coxswain;
    }
}
