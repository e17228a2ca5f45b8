package dev.ferry.migrations.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real find over a tree made here, then parses what it printed. */
class RootScanTest {

    @TempDir
    Path tmp;

    private Path root;
    private int uid;
    private int gid;

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectory(tmp.resolve("site"));
        Files.writeString(root.resolve("index.php"), "<?php echo 'hi';\n");        // 17 bytes
        Files.writeString(root.resolve("with space.txt"), "spaced");                 // 6
        Files.writeString(root.resolve("new\nline.txt"), "nl");                      // 2
        Files.createLink(root.resolve("hard.php"), root.resolve("index.php"));       // same inode: not counted again
        Files.createDirectories(root.resolve("releases/1"));
        Files.writeString(root.resolve("releases/1/app.php"), "1234567890");         // 10
        Files.createSymbolicLink(root.resolve("current"), Path.of("releases/1"));   // inside
        Files.createSymbolicLink(root.resolve("releases/1/up"), Path.of("../../../outside/x")); // outside
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));              // outside, absolute
        Files.createSymbolicLink(root.resolve("self"), Path.of("."));                // the root itself: inside
        Files.createDirectory(root.resolve("uploads"));
        Files.createDirectory(root.resolve("cache"));
        Files.createDirectory(root.resolve("private"));
        Files.writeString(root.resolve("private/secret.php"), "s");                  // 1
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root.resolve("uploads"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(root.resolve("cache"), PosixFilePermissions.fromString("rwxrwx---"));
        Files.setPosixFilePermissions(root.resolve("private"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(root.resolve("private/secret.php"), PosixFilePermissions.fromString("rw-------"));
        // A name that is not UTF-8: the Files API cannot spell it, the shell can.
        run("sh", "-c", "printf x > \"$1/$(printf 'bad\\377name')\"", "sh", root.toString());      // 1
        uid = (int) Files.getAttribute(root, "unix:uid");
        gid = (int) Files.getAttribute(root, "unix:gid");
    }

    @Test
    void factsOfARealScan() throws Exception {
        PoolUser stranger = new PoolUser("www-data", uid + 4242, List.of(gid + 4242, gid));
        RootFacts facts = RootScan.parse(root.toString(), find(root), stranger);

        assertThat(facts.path()).isEqualTo(root.toString());
        assertThat(facts.uid()).isEqualTo(uid);
        assertThat(facts.gid()).isEqualTo(gid);
        assertThat(facts.files()).isEqualTo(7);
        assertThat(facts.directories()).isEqualTo(6); // root, releases, releases/1, uploads, cache, private
        assertThat(facts.symlinks()).isEqualTo(4);
        assertThat(facts.bytes()).isEqualTo(17 + 6 + 2 + 10 + 1 + 1);
        assertThat(facts.hardLinkedFiles()).isEqualTo(2);
        assertThat(facts.filesByOwner()).isEqualTo(Map.of(uid + ":" + gid, 17L)); // 7 files, 6 dirs, 4 links
        // Group member: cache (g+w); anyone: uploads (o+w); root, private, releases: not.
        assertThat(facts.writableDirectories()).containsExactly("cache", "uploads");
        assertThat(facts.writableTruncated()).isFalse();
        assertThat(facts.symlinksOutsideRoot()).containsExactlyInAnyOrder(
                new Symlink("etc", "/etc", "/etc"),
                new Symlink("releases/1/up", "../../../outside/x", tmp.resolve("outside/x").toString()));
        assertThat(facts.unreadableFiles()).isEqualTo(1); // private/secret.php
    }

    @Test
    void ownerSeesItsOwnBitsAndOddNamesSurvive() throws Exception {
        PoolUser owner = new PoolUser("owner", uid, List.of(gid));
        RootFacts facts = RootScan.parse(root + "/", find(root), owner);
        assertThat(facts.writableDirectories()).containsExactly(".", "cache", "private", "releases", "releases/1",
                "uploads");
        assertThat(facts.unreadableFiles()).isZero();
        RootFacts noUser = RootScan.parse(root.toString(), find(root), null);
        assertThat(noUser.writableDirectories()).isEmpty();
        assertThat(noUser.unreadableFiles()).isZero();
    }

    @Test
    void writableListIsCapped() throws Exception {
        for (int i = 0; i < RootScan.WRITABLE_LIMIT + 5; i++) {
            Files.createDirectory(root.resolve(String.format("w%04d", i)));
        }
        RootFacts facts = RootScan.parse(root.toString(), find(root), new PoolUser("root", 0, List.of(0)));
        assertThat(facts.writableDirectories()).hasSize(RootScan.WRITABLE_LIMIT).startsWith(".", "cache");
        assertThat(facts.writableTruncated()).isTrue();
        assertThat(facts.directories()).isEqualTo(6 + RootScan.WRITABLE_LIMIT + 5);
    }

    @Test
    void samplesAreTheFirstFilesOfEachKindInTheTopTwoLevels() throws Exception {
        Files.writeString(root.resolve("b.css"), "b");
        Files.writeString(root.resolve("a.css"), "a");
        Files.writeString(root.resolve("0.css"), "0");
        Files.writeString(root.resolve(".hidden.css"), "h");
        Files.writeString(root.resolve("releases/1/deep.js"), "too deep");
        Files.writeString(root.resolve("uploads/photo.png"), "png");
        Files.writeString(root.resolve("uploads/notes.md"), "not a sampled kind");
        Files.writeString(root.resolve("new\nline.html"), "a name no URL should carry");
        RootFacts facts = RootScan.parse(root.toString(), find(root), null);
        // Two .css by name, the .php files of the top two levels (hard.php, index.php; private/secret.php is
        // third), one .txt: "new\nline.txt" has a control character, "with space.txt" is fine.
        assertThat(facts.sampleFiles()).containsExactly("0.css", "a.css", "hard.php", "index.php",
                "uploads/photo.png", "with space.txt");
        assertThat(RootScan.parse(root.toString(), find(root), null)).isEqualTo(facts);
    }

    @Test
    void namesWithNewlinesAndBadBytesAreKept() throws Exception {
        byte[] out = find(root);
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(text).contains(root + "/new\nline.txt").contains(root + "/bad\uFFFDname");
    }

    @Test
    void truncatedOutputIsRejected() throws Exception {
        byte[] out = find(root);
        byte[] cut = java.util.Arrays.copyOf(out, out.length - 3);
        assertThatThrownBy(() -> RootScan.parse(root.toString(), cut, null))
                .isInstanceOf(InventoryParseException.class).hasMessageStartingWith("find: incomplete last entry");
        assertThatThrownBy(() -> RootScan.parse(root.toString(), new byte[0], null))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("no entries");
        assertThatThrownBy(() -> RootScan.parse("/elsewhere", out, null))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("outside the root");
    }

    @Test
    void symlinkedRootIsRejected() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), root);
        assertThatThrownBy(() -> RootScan.parse(link.toString(), find(link), null))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("is a symlink to " + root);
    }

    @Test
    void lexicalNormalisation() {
        assertThat(RootScan.normalize("/a/b/../c/./d/")).isEqualTo("/a/c/d");
        assertThat(RootScan.normalize("/../../x")).isEqualTo("/x");
        assertThat(RootScan.normalize("/")).isEqualTo("/");
    }

    private static byte[] find(Path start) throws Exception {
        return run("find", start.toString(), "-xdev", "-printf", RootScan.FIND_PRINTF);
    }

    private static byte[] run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
        return out.toByteArray();
    }
}
