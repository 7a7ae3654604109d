package io.coxswain.bench;

/**
 * The anchor of the whole-process replay row: a JVM of its own that reads the whole command topic with
 * a plain consumer ({@link KafkaProbe#rawConsume}, the warm anchor's code) and exits. Started by
 * {@link ReplayBench} the way {@code bin/coxswain replay} is started, so that both rows pay for a JVM
 * start, class loading and a cold JIT, and the ratio compares reading with reading-and-folding.
 *
 * <p>Arguments: bootstrap servers, topic, number of records to read. Exit 0 once they are read.
 */
public final class RawConsumeProcess {

    private RawConsumeProcess() {
    }

    public static void main(String[] args) {
        System.setProperty("logback.configurationFile", "logback-bench.xml");
        KafkaProbe.rawConsume(args[0], args[1], Long.parseLong(args[2]));
    }
}
