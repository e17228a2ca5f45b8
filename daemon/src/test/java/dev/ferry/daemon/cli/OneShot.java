package dev.ferry.daemon.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a {@code ferry} command line in this JVM, as the tests of commands that need no daemon do. */
record OneShot(int exit, String out, String err) {

    static OneShot ferry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FerryCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new OneShot(exit, out.toString(), err.toString());
    }
}
