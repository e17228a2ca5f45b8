package dev.ferry.migrations.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.inventory.apps.AppDatabase;
import dev.ferry.migrations.inventory.nginx.NginxConfigParser;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigsTest {

    @Test
    void eachRootIsLookedAtForEachKnownAppAndDebiansWordpressForEachName() {
        NginxSites sites = NginxSites.from(NginxConfigParser.parse("""
                http {
                    server { server_name blog.example.test www.blog.example.test; root /usr/share/wordpress; }
                    server { server_name wiki.example.test; root /var/www/wiki/; }
                    server { server_name again.example.test; root /var/www/wiki; }
                    server { server_name $host; root /srv/$host; }
                }
                """, "t.conf"));
        List<AppConfigs.Candidates> c = AppConfigs.candidates(sites);
        assertThat(c).hasSize(2);
        assertThat(c.get(0).paths()).containsExactly("/usr/share/wordpress/wp-config.php",
                "/usr/share/wordpress/LocalSettings.php", "/usr/share/wordpress/sites/default/settings.php",
                "/etc/wordpress/config-blog.example.test.php", "/etc/wordpress/config-example.test.php",
                "/etc/wordpress/config-default.php", "/etc/wordpress/config-www.blog.example.test.php");
        assertThat(c.get(1).root()).isEqualTo("/var/www/wiki");
        assertThat(c.get(1).paths()).containsExactly("/var/www/wiki/wp-config.php", "/var/www/wiki/LocalSettings.php",
                "/var/www/wiki/sites/default/settings.php");
    }

    @Test
    void wordpressMediawikiAndDrupalSettingsAreReadWithoutPasswords() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/var/www/blog/wp-config.php", Fixtures.read("apps/wp-config.php"));
        files.put("/var/www/wiki/LocalSettings.php", Fixtures.read("apps/LocalSettings.php"));
        files.put("/var/www/cms/sites/default/settings.php", Fixtures.read("apps/drupal-settings.php"));
        files.put("/var/www/other/readme.php", "<?php echo 1;");
        List<AppDatabase> found = AppConfigs.read(files);
        assertThat(found).extracting(AppDatabase::app).containsExactly("wordpress", "mediawiki", "drupal");
        assertThat(found).extracting(AppDatabase::configFile).containsExactly("/var/www/blog/wp-config.php",
                "/var/www/wiki/LocalSettings.php", "/var/www/cms/sites/default/settings.php");
    }
}
