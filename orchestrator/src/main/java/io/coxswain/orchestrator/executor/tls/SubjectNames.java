package io.coxswain.orchestrator.executor.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.util.IPAddress;

/**
 * The names a node certificate answers for: DNS names, and the IP address a load balancer may give a
 * broker instead of a host name. A TLS client that connects to an IP checks it against the
 * certificate's IP entries, never its DNS entries, so each name is written as what it is.
 */
final class SubjectNames {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private SubjectNames() {
    }

    static GeneralName of(String name) {
        return IPAddress.isValid(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name);
    }

    /** The certificate's DNS names and IP addresses, the addresses in one spelling ({@link #canonical}). */
    static Set<String> in(X509Certificate c) throws CertificateParsingException {
        Set<String> names = new HashSet<>();
        if (c.getSubjectAlternativeNames() != null) {
            for (List<?> san : c.getSubjectAlternativeNames()) {
                Object type = san.get(0);
                if (Integer.valueOf(DNS_NAME).equals(type) || Integer.valueOf(IP_ADDRESS).equals(type)) {
                    names.add(canonical((String) san.get(1)));
                }
            }
        }
        return names;
    }

    /**
     * An IP address in the JDK's spelling ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are one address), any
     * other name as it is: so a certificate is not re-issued on every pass for a differently written IPv6.
     */
    static String canonical(String name) {
        if (!IPAddress.isValid(name)) {
            return name;
        }
        try {
            return InetAddress.getByName(name).getHostAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return name;
        }
    }
}
