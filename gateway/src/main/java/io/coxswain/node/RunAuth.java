package io.coxswain.node;

import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.gateway.auth.Tokens;

/** Authentication in {@code run} mode: a tokens file or JWT settings (or both) are required unless the operator says, in so many words, to run without. */
final class RunAuth {

    private RunAuth() {
    }

    static Authenticator resolve(GatewayOptions options) {
        options.refuseContradictoryAuth();
        if (options.tokensFile != null || options.jwtKeys != null) {
            return Authenticator.of(options.tokensFile == null ? null : Tokens.load(options.tokensFile), options.jwt());
        }
        if (options.insecureNoAuth) {
            return Authenticator.insecureNoAuth();
        }
        throw new IllegalArgumentException("the gateway needs --tokens-file FILE (one 'TOKEN PRINCIPAL' per line, e.g. from: echo \"$(openssl rand -hex 24) alice\" > tokens)"
                + ", --jwt-keys FILE|URL with --jwt-issuer and --jwt-audience (JWTs of an OIDC provider or Kubernetes service accounts), or both"
                + "; or --insecure-no-auth to accept every caller as 'anonymous'");
    }
}
