package dev.ferry.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    Path write(String yaml) throws Exception {
        Path file = dir.resolve("ferry.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void withNothingConfiguredTheDefaultsKeepTheApiLocalOnH2() {
        FerryConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.api().bind()).isEqualTo("127.0.0.1");
        assertThat(c.api().port()).isEqualTo(8080);
        assertThat(c.databaseSettings().url()).startsWith("jdbc:h2:retry:").contains("/data/ferry");
    }

    @Test
    void theFileOverridesDefaultsAndTheEnvironmentOverridesTheFile() throws Exception {
        Path file = write("""
                dataDir: /var/lib/ferry
                api:
                  port: 9090
                  maxBodyBytes: 4096
                engine:
                  retry:
                    maxAttempts: 3
                """);
        FerryConfig c = ConfigLoader.load(file, Map.of("FERRY_API_PORT", "9191", "FERRY_ENGINE_RETRY_MAX_ATTEMPTS", "9",
                "FERRY_LOG_FORMAT", "json", "FERRY_DATABASE_URL", "jdbc:postgresql://db/ferry"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/ferry"));
        assertThat(c.api().port()).isEqualTo(9191);
        assertThat(c.api().maxBodyBytes()).isEqualTo(4096);
        assertThat(c.engine().retry().maxAttempts()).isEqualTo(9);
        assertThat(c.log().format()).isEqualTo("json");
        assertThat(c.databaseSettings().url()).isEqualTo("jdbc:postgresql://db/ferry");
    }

    @Test
    void everyKeyHasAnEnvironmentVariable() {
        assertThat(ConfigLoader.upperSnake("maxBodyBytes")).isEqualTo("MAX_BODY_BYTES");
        assertThat(ConfigLoader.unknownVariables(Map.of("FERRY_API_PROT", "1", "FERRY_API_PORT", "2",
                "FERRY_DATA_DIR", "x", "FERRY_CONFIG", "y", "PATH", "/bin"))).containsExactly("FERRY_API_PROT");
    }

    @Test
    void aTypoInTheFileIsAnErrorNamingTheKey() throws Exception {
        Path file = write("api:\n  prot: 9090\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'api.prot'");
    }

    @Test
    void invalidValuesAreReportedByKey() throws Exception {
        Path file = write("api:\n  port: 70000\nlog:\n  format: xml\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageContaining("api.port").hasMessageContaining("log.format");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("FERRY_API_PORT", "eighty")))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("eighty");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("FERRY_ENGINE_CLUSTERED", "true")))
                .hasMessageContaining("engine.clustered: needs a PostgreSQL database.url");
    }

    @Test
    void theClusterSettingsComeFromTheFileOrTheEnvironmentAndBadOnesAreRefused() throws Exception {
        Path file = write("""
                kubernetes:
                  registry: harbor.example.org/web
                  apkMirror: https://mirrors.tuna.tsinghua.edu.cn
                  nginxBaseImage: docker.m.daocloud.io/nginx
                """);
        FerryConfig c = ConfigLoader.load(file, Map.of("FERRY_KUBERNETES_STORAGE_CLASS", "ceph-fs",
                "FERRY_KUBERNETES_COPY_KIB_PER_SECOND", "20480"));
        var settings = c.kubernetes().clusterSettings();
        assertThat(settings.registry()).isEqualTo("harbor.example.org/web");
        assertThat(settings.apkMirror()).isEqualTo("https://mirrors.tuna.tsinghua.edu.cn");
        assertThat(settings.nginxBaseImage()).isEqualTo("docker.m.daocloud.io/nginx");
        assertThat(settings.storageClass()).isEqualTo("ceph-fs");
        assertThat(c.kubernetes().copySettings().bandwidthLimit()).isEqualTo(20480);
        assertThat(FerryConfig.defaults().kubernetes().clusterSettings().apkMirror()).isNull();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("FERRY_KUBERNETES_REGISTRY", "Bad Registry;rm")))
                .hasMessageContaining("kubernetes.registry");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("FERRY_KUBERNETES_COPIER_IMAGE", "alpine $(id)")))
                .hasMessageContaining("image references must be plain");
    }

    @Test
    void theCopyGoesOverSshUnlessANodeIsNamed() throws Exception {
        assertThat(FerryConfig.defaults().kubernetes().copySettings().fromNode()).isFalse();
        assertThat(ConfigLoader.load(write("kubernetes:\n  copyFromNode:\n"), Map.of()).kubernetes().copySettings()
                .fromNode()).as("an empty key").isFalse();
        var settings = ConfigLoader.load(write("kubernetes:\n  copyFromNode: web-01.dc1\n"), Map.of())
                .kubernetes().copySettings();
        assertThat(settings.fromNode()).isTrue();
        assertThat(settings.node()).isEqualTo("web-01.dc1");
        assertThat(ConfigLoader.load(null, Map.of("FERRY_KUBERNETES_COPY_FROM_NODE", "node-7")).kubernetes()
                .copySettings().node()).isEqualTo("node-7");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("FERRY_KUBERNETES_COPY_FROM_NODE", "web 01; id")))
                .hasMessageContaining("kubernetes.copyFromNode");
    }

    @Test
    void aMissingNamedFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void secretsDoNotAppearInTheConfigurationsText() throws Exception {
        Path file = write("api:\n  token: super-secret-token-value\ndatabase:\n  url: jdbc:postgresql://db/f\n"
                + "  password: hunter2-hunter2\n");
        String text = ConfigLoader.load(file, Map.of()).toString();
        assertThat(text).doesNotContain("super-secret-token-value").doesNotContain("hunter2");
    }
}
