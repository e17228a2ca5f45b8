package dev.ferry.migrations.inventory.nginx;

/** nginx output or configuration that could not be read; the message names the file and line where known. */
public final class NginxParseException extends RuntimeException {

    public NginxParseException(String message) {
        super(message);
    }

    static NginxParseException at(String file, int line, String what) {
        return new NginxParseException(what + " in " + file + ":" + line);
    }
}
