package dev.ferry.migrations.inventory.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import org.junit.jupiter.api.Test;

class NginxBuildTest {

    @Test
    void debiansBuildIsReadWithItsPathsModulesAndQuotedCompilerOptions() {
        NginxBuild b = NginxBuild.parse(Fixtures.read("nginx/debian-bookworm-nginx-V.txt"));
        assertThat(b.version()).isEqualTo("1.22.1");
        assertThat(b.openssl()).isEqualTo("3.0.22");
        assertThat(b.prefix()).isEqualTo("/usr/share/nginx");
        assertThat(b.confPath()).isEqualTo("/etc/nginx/nginx.conf");
        assertThat(b.modulesPath()).isEqualTo("/usr/lib/nginx/modules");
        assertThat(b.withModules()).contains("http_ssl_module", "http_v2_module", "threads", "compat",
                "http_image_filter_module=dynamic").doesNotContain("cc-opt", "ld-opt");
        assertThat(b.withModules()).noneMatch(m -> m.startsWith("cc-opt") || m.startsWith("ld-opt"));
        assertThat(b.configureArguments()).anyMatch(a -> a.startsWith("--with-cc-opt=-g -O2 ")
                && a.contains("-fstack-protector-strong"));
        assertThat(b.addModules()).isEmpty();
    }

    @Test
    void theOfficialAlpineImagesBuildIsReadToo() {
        NginxBuild b = NginxBuild.parse(Fixtures.read("nginx/nginx-alpine-1.25.4-nginx-V.txt"));
        assertThat(b.version()).isEqualTo("1.25.4");
        assertThat(b.openssl()).isEqualTo("3.1.3");
        assertThat(b.prefix()).isEqualTo("/etc/nginx");
        assertThat(b.sbinPath()).isEqualTo("/usr/sbin/nginx");
        assertThat(b.pidPath()).isEqualTo("/var/run/nginx.pid");
        assertThat(b.withModules()).contains("compat", "http_v3_module", "stream", "mail", "http_slice_module")
                .doesNotContain("perl_modules_path=/usr/lib/perl5/vendor_perl");
        assertThat(b.configureArguments()).contains("--with-ld-opt=-Wl,--as-needed,-O1,--sort-common -Wl,-z,pack-relative-relocs");
    }

    @Test
    void addedModulesAreListed() {
        NginxBuild b = NginxBuild.parse("nginx version: openresty/1.21.4.1\nconfigure arguments: --prefix=/usr/local "
                + "--add-module=../ngx_devel_kit-0.3.1 --add-dynamic-module=/build/ngx_brotli\n");
        assertThat(b.version()).isEqualTo("1.21.4.1");
        assertThat(b.openssl()).isNull();
        assertThat(b.addModules()).containsExactly("../ngx_devel_kit-0.3.1");
        assertThat(b.addDynamicModules()).containsExactly("/build/ngx_brotli");
    }

    @Test
    void outputWithoutAVersionIsRefusedClearly() {
        assertThatThrownBy(() -> NginxBuild.parse("sh: 1: nginx: not found\n"))
                .isInstanceOf(NginxParseException.class).hasMessageContaining("no \"nginx version:\" line");
        assertThatThrownBy(() -> NginxBuild.parse("nginx version: nginx/1.2\nconfigure arguments: --with-cc-opt='-O2\n"))
                .isInstanceOf(NginxParseException.class).hasMessageContaining("unbalanced");
    }
}
