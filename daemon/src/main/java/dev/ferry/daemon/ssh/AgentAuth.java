package dev.ferry.daemon.ssh;

import java.io.IOException;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * The SSH {@code publickey} method with a key held by ssh-agent: the public key goes to the server, and the
 * agent signs the session's authentication request. RSA keys sign with SHA-2 (modern servers refuse SHA-1).
 */
final class AgentAuth extends AbstractAuthMethod {

    private final SshAgent agent;
    private final SshAgent.Identity identity;
    private final String algorithm;
    private final int flags;

    AgentAuth(SshAgent agent, SshAgent.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
        String type = identity.keyType();
        this.algorithm = type.equals("ssh-rsa") ? "rsa-sha2-512" : type;
        this.flags = type.equals("ssh-rsa") ? SshAgent.RSA_SHA2_512 : 0;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) {
            // The server accepts this key: now send the request again, signed by the agent.
            SSHPacket signed = request(true);
            byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID())
                    .putBuffer(signed).getCompactData();
            try {
                signed.putBytes(agent.sign(identity.blob(), data, flags));
            } catch (IOException e) {
                throw new UserAuthException("ssh-agent could not sign: " + e.getMessage(), e);
            }
            params.getTransport().write(signed);
        } else {
            super.handle(cmd, buf);
        }
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        return super.buildReq().putBoolean(signed).putString(algorithm).putBytes(identity.blob());
    }

    @Override
    public boolean shouldRetry() {
        return false;
    }
}
