package org.hakgen.generator;

import java.io.IOException;

/** Malformed trace input: the message names the file and line, what is wrong and what would be valid. */
public class TraceException extends IOException {
    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }
}
