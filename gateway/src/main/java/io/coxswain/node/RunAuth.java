package io.coxswain.node;

import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.gateway.auth.Tokens;

/** Authentication in {@code run} mode: a tokens file is required unless the operator says, in so many words, to run without. */
final class RunAuth {

    private RunAuth() {
    }

    static Authenticator resolve(GatewayOptions options) {
        if (options.tokensFile != null && options.insecureNoAuth) {
            throw new IllegalArgumentException("--tokens-file and --insecure-no-auth contradict each other; give one of them");
        }
        if (options.tokensFile != null) {
            return Authenticator.withTokens(Tokens.load(options.tokensFile));
        }
        if (options.insecureNoAuth) {
            return Authenticator.insecureNoAuth();
        }
        throw new IllegalArgumentException("the gateway needs --tokens-file FILE (one 'TOKEN PRINCIPAL' per line, e.g. from: echo \"$(openssl rand -hex 24) alice\" > tokens)"
                + ", or --insecure-no-auth to accept every caller as 'anonymous'");
    }
}
