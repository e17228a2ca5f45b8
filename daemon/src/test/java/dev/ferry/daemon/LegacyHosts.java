package dev.ferry.daemon;

import dev.ferry.daemon.ssh.CommandTimer;
import dev.ferry.daemon.ssh.SshRemoteShells;
import dev.ferry.daemon.ssh.SshSettings;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.InventoryCollector;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.SshAuth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The test legacy host as Ferry reaches it: registered as root with its key pinned, and its inventory. */
public final class LegacyHosts {

    private LegacyHosts() {
    }

    public static Host asRoot(LegacyHost host) {
        return new Host(1, new HostSpec("legacy", host.address(), host.sshPort(), "root",
                SshAuth.key(host.clientKey().toString()), false, null, null, host.hostKeyFingerprint(), false, null),
                Instant.EPOCH, Instant.EPOCH);
    }

    public static SshRemoteShells shells() {
        return new SshRemoteShells(new SshSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 4 * 1024 * 1024,
                null), (h, fp) -> { }, CommandTimer.NONE);
    }

    public static Inventory inventory(LegacyHost host) {
        return new InventoryCollector(Clock.systemUTC()).collect(asRoot(host), shells());
    }
}
