package dev.ferry.daemon.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client for the ssh-agent protocol (draft-miller-ssh-agent) over its Unix socket: list the keys the agent
 * holds and have it sign. The released sshj (0.40) has no agent support; this is the small part Ferry needs
 * until sshj's own (merged upstream in 2026) is released.
 */
final class SshAgent implements AutoCloseable {

    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;

    /** A key the agent holds: its public blob and the comment it was added with. */
    record Identity(byte[] blob, String comment) {
        String keyType() {
            ByteBuffer b = ByteBuffer.wrap(blob);
            byte[] type = new byte[b.getInt()];
            b.get(type);
            return new String(type, StandardCharsets.US_ASCII);
        }
    }

    private final SocketChannel channel;

    private SshAgent(SocketChannel channel) {
        this.channel = channel;
    }

    static SshAgent connect(String socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(Path.of(socket)));
        return new SshAgent(ch);
    }

    synchronized List<Identity> identities() throws IOException {
        ByteBuffer answer = call(new byte[] {REQUEST_IDENTITIES});
        expect(answer, IDENTITIES_ANSWER);
        int count = answer.getInt();
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = bytes(answer);
            out.add(new Identity(blob, new String(bytes(answer), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The agent's signature blob (type string and signature) over {@code data}. */
    synchronized byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(req);
        out.writeByte(SIGN_REQUEST);
        out.writeInt(keyBlob.length);
        out.write(keyBlob);
        out.writeInt(data.length);
        out.write(data);
        out.writeInt(flags);
        ByteBuffer answer = call(req.toByteArray());
        expect(answer, SIGN_RESPONSE);
        return bytes(answer);
    }

    private ByteBuffer call(byte[] message) throws IOException {
        ByteBuffer framed = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
        while (framed.hasRemaining()) {
            channel.write(framed);
        }
        ByteBuffer length = readFully(4);
        int n = length.getInt();
        if (n <= 0 || n > 256 * 1024) {
            throw new IOException("ssh-agent sent a reply of " + n + " bytes");
        }
        return readFully(n);
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new IOException("ssh-agent closed the connection");
            }
        }
        return buf.flip();
    }

    private static void expect(ByteBuffer answer, byte type) throws IOException {
        byte got = answer.get();
        if (got != type) {
            throw new IOException("ssh-agent answered message type " + got + " where " + type + " was expected"
                    + (got == 5 ? " (failure: the agent refused)" : ""));
        }
    }

    private static byte[] bytes(ByteBuffer b) throws IOException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IOException("malformed ssh-agent reply");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
