package dev.ferry.migrations.inventory.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AppDatabaseTest {

    @Test
    void wordPressConfig() {
        AppDatabase db = WordPress.parse("/var/www/blog/wp-config.php", Fixtures.read("apps/wp-config.php"))
                .orElseThrow();
        assertThat(db).isEqualTo(new AppDatabase("wordpress", "/var/www/blog/wp-config.php", "mysql", "localhost",
                null, "/run/mysqld/mysqld.sock", "blog_wp", "blog_user", "blog_"));
        assertThat(db.reachesLocalOnly()).isTrue();
    }

    @Test
    void debianHostConfig() {
        AppDatabase db = WordPress.parse("/etc/wordpress/config-blog.example.test.php",
                Fixtures.read("apps/config-blog.example.test.php")).orElseThrow();
        assertThat(db).isEqualTo(new AppDatabase("wordpress", "/etc/wordpress/config-blog.example.test.php",
                "mysql", "127.0.0.3", 3307, null, "wordpress_blog", "wp_blog", null));
        assertThat(db.reachesLocalOnly()).isTrue();
    }

    @Test
    void computedValuesAreUnknownNotGuessed() {
        AppDatabase db = WordPress.parse("/var/www/html/wp-config.php", Fixtures.read("apps/wp-config-docker.php"))
                .orElseThrow();
        assertThat(db).isEqualTo(new AppDatabase("wordpress", "/var/www/html/wp-config.php", "mysql", null, null,
                null, null, null, null));
        assertThat(db.reachesLocalOnly()).isFalse();
    }

    @Test
    void debianMasterConfigDefinesNothingItself() {
        String debian = """
                <?php
                $debian_server = preg_replace('/:.*/', "", $_SERVER['HTTP_HOST']);
                $debian_file = '/etc/wordpress/config-'.strtolower($debian_server).'.php';
                if (file_exists($debian_file)) {
                    require_once($debian_file);
                }
                """;
        assertThat(WordPress.parse("/usr/share/wordpress/wp-config.php", debian)).isEmpty();
    }

    @Test
    void debianConfigFiles() {
        assertThat(WordPress.debianConfigFiles("Blog.Example.test:8080")).containsExactly(
                "/etc/wordpress/config-blog.example.test.php", "/etc/wordpress/config-example.test.php",
                "/etc/wordpress/config-default.php");
        assertThat(WordPress.debianConfigFiles("localhost")).containsExactly(
                "/etc/wordpress/config-localhost.php", "/etc/wordpress/config-default.php");
        assertThat(WordPress.debianConfigFiles("we<ird>.test")).first()
                .isEqualTo("/etc/wordpress/config-weird.test.php");
    }

    @Test
    void mediaWiki() {
        AppDatabase db = MediaWiki.parse("/var/www/wiki/LocalSettings.php", Fixtures.read("apps/LocalSettings.php"))
                .orElseThrow();
        assertThat(db).isEqualTo(new AppDatabase("mediawiki", "/var/www/wiki/LocalSettings.php", "mysql",
                "db.internal", 3307, null, "wikidb", "wikiuser", "mw_"));
        assertThat(db.reachesLocalOnly()).isFalse();
        assertThat(MediaWiki.parse("/x.php", "<?php $wgDBname = 'w';")).contains(
                new AppDatabase("mediawiki", "/x.php", "mysql", "localhost", null, null, "w", null, null));
    }

    @Test
    void drupal() {
        AppDatabase db = Drupal.parse("/var/www/d/sites/default/settings.php",
                Fixtures.read("apps/drupal-settings.php")).orElseThrow();
        assertThat(db).isEqualTo(new AppDatabase("drupal", "/var/www/d/sites/default/settings.php", "mysql",
                "localhost", 3306, null, "drupal10", "drupal", null));
        AppDatabase d7 = Drupal.parse("/s.php", Fixtures.read("apps/drupal7-settings.php")).orElseThrow();
        assertThat(d7).isEqualTo(new AppDatabase("drupal", "/s.php", "mysql", null, null,
                "/var/run/mysqld/mysqld.sock", "d7", "d7user", "d7_"));
        assertThat(d7.reachesLocalOnly()).isTrue();
        assertThat(Drupal.parse("/s.php", "<?php\n$databases = [];\n")).isEmpty();
    }

    static Stream<Arguments> fixturesWithPasswords() {
        return Stream.of(
                Arguments.of("apps/wp-config.php", "Tr1cky'\"pa$$word;//#", parser(WordPress::parse)),
                Arguments.of("apps/config-blog.example.test.php", "S3cret-\"quoted\"-pw", parser(WordPress::parse)),
                Arguments.of("apps/LocalSettings.php", "wiki-Pa55word", parser(MediaWiki::parse)),
                Arguments.of("apps/drupal-settings.php", "drupal-Secr3t", parser(Drupal::parse)),
                Arguments.of("apps/drupal7-settings.php", "d7-Secr3t", parser(Drupal::parse)));
    }

    private static BiFunction<String, String, Optional<AppDatabase>> parser(
            BiFunction<String, String, Optional<AppDatabase>> f) {
        return f;
    }

    @ParameterizedTest
    @MethodSource("fixturesWithPasswords")
    void passwordsNeverReachTheRecord(String fixture, String password,
                                      BiFunction<String, String, Optional<AppDatabase>> parse) throws Exception {
        String content = Fixtures.read(fixture);
        assertThat(content).contains(password.substring(0, 6)); // the fixture does hold it
        AppDatabase db = parse.apply("/conf.php", content).orElseThrow();
        String json = new ObjectMapper().writeValueAsString(db);
        assertThat(db.toString()).doesNotContain(password).doesNotContainIgnoringCase("secr3t")
                .doesNotContain("Pa55word");
        assertThat(json).doesNotContain(password).doesNotContainIgnoringCase("password");
        assertThat(Arrays.stream(AppDatabase.class.getRecordComponents()).map(c -> c.getName().toLowerCase()))
                .noneMatch(name -> name.contains("pass"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "localhost|localhost||",
            "db.example.test:3307|db.example.test|3307|",
            "localhost:/run/mysqld/mysqld.sock|localhost||/run/mysqld/mysqld.sock",
            "/tmp/mysql.sock|||/tmp/mysql.sock",
            "[::1]:3306|::1|3306|",
            "::1|::1||",
    })
    void hostSpecs(String spec, String host, Integer port, String socket) {
        assertThat(AppDatabase.Endpoint.of("/c.php", spec)).isEqualTo(new AppDatabase.Endpoint(host, port, socket));
    }

    @ParameterizedTest
    @CsvSource({"localhost, true", "127.0.0.1, true", "127.0.0.7, true", "::1, true", "10.0.0.5, false",
            "db, false", "LOCALHOST, true"})
    void reachesLocalOnly(String host, boolean local) {
        assertThat(new AppDatabase("wordpress", "/c", "mysql", host, null, null, "n", "u", null).reachesLocalOnly())
                .isEqualTo(local);
    }

    @Test
    void brokenFilesNameALineButNoText() {
        assertThatThrownBy(() -> WordPress.parse("/c.php", "<?php\ndefine('DB_PASSWORD', 'hunter2);\n"))
                .isInstanceOf(InventoryParseException.class)
                .hasMessage("cat /c.php: line 2: unterminated string")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> WordPress.parse("/c.php", "<?php /* define('DB_PASSWORD', 'hunter2');"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("unterminated /* comment");
        assertThatThrownBy(() -> WordPress.parse("/c.php", "<?php define('DB_HOST', 'db:mysql');"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> Drupal.parse("/s.php", "<?php $databases['default']['default'] = ['a' => 1;"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("in an array");
    }
}
