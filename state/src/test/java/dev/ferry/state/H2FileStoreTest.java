package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.SshAuth;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store on its file, as ferryd runs it by default. */
class H2FileStoreTest {

    @TempDir
    Path dir;

    /**
     * Quartz interrupts its threads when it shuts down. An interrupt in the middle of a write must not close the
     * database file for everyone (with a plain FileChannel it does: "the database has been closed").
     */
    @Test
    void threadsInterruptedWhileWritingLeaveTheStoreUsable() throws Exception {
        try (Store store = Store.open(DatabaseSettings.h2In(dir), Clock.systemUTC())) {
            AtomicInteger written = new AtomicInteger();
            for (int round = 0; round < 40; round++) {
                int r = round;
                Thread writer = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000 && !Thread.currentThread().isInterrupted(); i++) {
                        try {
                            store.useTransaction(tx -> tx.hosts().insert(spec("web-" + r + "-" + written.get())));
                            written.incrementAndGet();
                        } catch (RuntimeException interrupted) {
                            return;
                        }
                    }
                });
                Thread.sleep(5);
                writer.interrupt();
                writer.join();
            }
            assertThat(written.get()).isPositive();
            store.useTransaction(tx -> tx.hosts().insert(spec("after-the-interrupts")));
            boolean found = store.inTransaction(tx -> tx.hosts().findByName("after-the-interrupts").isPresent());
            assertThat(found).isTrue();
        }
        try (Store reopened = Store.open(DatabaseSettings.h2In(dir), Clock.systemUTC())) {
            boolean found = reopened.inTransaction(tx -> tx.hosts().findByName("after-the-interrupts").isPresent());
            assertThat(found).as("kept on disk").isTrue();
        }
    }

    static HostSpec spec(String name) {
        return new HostSpec(name, "192.0.2.7", 22, "root", SshAuth.agent(), false, null, null, null, true, null);
    }
}
