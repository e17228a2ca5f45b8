package dev.ferry.daemon.ssh;

import java.time.Duration;

/**
 * Limits for SSH work, from the {@code ssh} section of the configuration.
 *
 * @param connectTimeout  TCP connect plus handshake
 * @param commandTimeout  default for a command that names none
 * @param maxOutputBytes  per stream of one command; more is cut off and the result marked truncated
 * @param agentSocket     the ssh-agent socket for hosts that authenticate with the agent (null: none)
 */
public record SshSettings(Duration connectTimeout, Duration commandTimeout, int maxOutputBytes, String agentSocket) {

    public static SshSettings defaults() {
        return new SshSettings(Duration.ofSeconds(15), Duration.ofMinutes(5), 32 * 1024 * 1024,
                System.getenv("SSH_AUTH_SOCK"));
    }
}
