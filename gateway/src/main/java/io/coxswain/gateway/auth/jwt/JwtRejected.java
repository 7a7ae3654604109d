package io.coxswain.gateway.auth.jwt;

/** A JWT that does not authenticate its bearer; the message says why, for the 401 and the log. */
public final class JwtRejected extends Exception {

    public JwtRejected(String message) {
        super(message);
    }
}
