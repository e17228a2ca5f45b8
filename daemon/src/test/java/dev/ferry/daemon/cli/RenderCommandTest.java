package dev.ferry.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry render} over a captured inventory of the test legacy host. */
class RenderCommandTest {

    @TempDir
    Path dir;

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    @Test
    void renderingTwiceGivesIdenticalTreesAndARerenderKeepsTheDirectoryInStep() throws IOException {
        Path inventory = Files.writeString(dir.resolve("inventory.json"), Json.write(CapturedInventory.legacyHost()));
        OneShot first = OneShot.ferry("render", inventory.toString(), "--out", dir.resolve("a").toString());
        OneShot second = OneShot.ferry("render", inventory.toString(), "--out", dir.resolve("b").toString());
        // The captured wp-config.php reaches MariaDB through its socket: rendered, but blocked, and said so.
        assertThat(first.exit()).as(first.err()).isEqualTo(1);
        assertThat(first.err()).contains("blocking: wordpress (/var/www/app/wp-config.php) reaches its database");
        assertThat(first.out()).contains("rendered 4 sites, 2 images and 15 manifests of legacy");
        Map<String, String> a = tree(dir.resolve("a"));
        assertThat(a).isEqualTo(tree(dir.resolve("b")));
        assertThat(a.keySet()).contains("plan.json", "images/ferry-legacy-nginx/Dockerfile",
                "images/ferry-legacy-nginx/conf.d/php.example.test.conf", "images/ferry-legacy-php82/ferry/www.conf",
                "manifests/03-deployment-nginx.yaml");

        Files.writeString(dir.resolve("a/manifests/99-stale.yaml"), "kind: Stale\n");
        assertThat(OneShot.ferry("render", inventory.toString(), "--out", dir.resolve("a").toString()).exit()).isEqualTo(1);
        assertThat(tree(dir.resolve("a"))).isEqualTo(a);
    }

    @Test
    void badSourcesAndForeignDirectoriesAreRefused() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        Path inventory = Files.writeString(dir.resolve("inventory.json"), Json.write(CapturedInventory.legacyHost()));
        OneShot r = OneShot.ferry("render", inventory.toString(), "--out", foreign.toString());
        assertThat(r.exit()).isEqualTo(CliFailure.USAGE);
        assertThat(r.err()).contains("not empty and holds no rendered plan");
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("mine");

        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"host\": 5, \"nginx\": [");
        assertThat(OneShot.ferry("render", garbage.toString(), "--out", dir.resolve("x").toString()).err())
                .contains("is not an inventory document");
        assertThat(OneShot.ferry("render", "no-such-file", "--out", dir.resolve("x").toString()).err())
                .contains("neither an inventory file nor USER@HOST");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }
}
