package io.coxswain.commands.signing;

import java.util.Base64;

/** Base64 decoding that says what was being decoded when it fails. */
final class Base64s {

    private Base64s() {
    }

    static byte[] decode(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64 (" + e.getMessage() + ")");
        }
    }
}
