package dev.ferry.migrations.inventory.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class NginxSitesTest {

    static NginxSites sites(String dumpFixture) {
        return NginxSites.from(NginxDump.parse(Fixtures.read(dumpFixture)).effective());
    }

    static ServerBlock server(NginxSites sites, String name, int port) {
        return sites.servers().stream().filter(s -> s.serverNames().contains(name)
                && s.listens().stream().anyMatch(l -> l.port() == port)).findFirst().orElseThrow();
    }

    static Location location(ServerBlock s, String path) {
        return s.locations().stream().filter(l -> l.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void theLegacyHostsDumpYieldsEveryServerBlockWithWhatEachLocationDoes() {
        NginxDump dump = NginxDump.parse(Fixtures.read("nginx/legacy-host-nginx-T.txt"));
        assertThat(dump.mainFile()).isEqualTo("/etc/nginx/nginx.conf");
        assertThat(dump.files()).extracting(NginxDump.ConfigFile::path)
                .contains("/etc/nginx/snippets/fastcgi-php.conf", "/etc/nginx/fastcgi.conf");
        NginxSites sites = NginxSites.from(dump.effective());

        assertThat(sites.loadModules()).containsExactly("modules/ndk_http_module.so",
                "modules/ngx_http_brotli_filter_module.so", "modules/ngx_http_headers_more_filter_module.so",
                "modules/ngx_http_lua_module.so");
        assertThat(sites.servers()).hasSize(5);

        ServerBlock stat = server(sites, "static.example.test", 80);
        assertThat(stat.serverNames()).containsExactly("static.example.test", "www.static.example.test");
        assertThat(stat.listens()).containsExactly(new Listen("127.0.0.5", 80, null, false, false, true, false, false));
        assertThat(stat.root()).isEqualTo("/var/www/static");
        assertThat(stat.index()).containsExactly("index.html");
        assertThat(stat.moduleDirectives()).extracting(ModuleUse::module).contains("brotli", "headers-more");

        ServerBlock php = server(sites, "php.example.test", 80);
        assertThat(php.root()).isEqualTo("/var/www/php");
        assertThat(location(php, "/docs/").alias()).isEqualTo("/srv/docs/");
        Location phpFiles = php.locations().stream().filter(l -> l.fastcgi() != null).findFirst().orElseThrow();
        assertThat(phpFiles.modifier()).isEqualTo("~");
        FastcgiPass pass = phpFiles.fastcgi();
        assertThat(pass.kind()).isEqualTo(FastcgiPass.Kind.UNIX);
        assertThat(pass.socketPath()).isEqualTo("/run/php/php8.2-fpm.sock");
        // Debian's snippets/fastcgi-php.conf, inlined: split, PATH_INFO through a variable, SCRIPT_FILENAME from
        // fastcgi.conf.
        assertThat(pass.splitPathInfo()).isEqualTo("^(.+?\\.php)(/.*)$");
        assertThat(pass.pathInfo()).isEqualTo("$path_info");
        assertThat(pass.scriptFilename()).isEqualTo("$document_root$fastcgi_script_name");
        assertThat(pass.fastcgiIndex()).isEqualTo("index.php");
        assertThat(phpFiles.tryFiles()).containsExactly("$fastcgi_script_name", "=404");

        ServerBlock app = server(sites, "app.example.test", 80);
        FastcgiPass upstream = app.locations().stream().filter(l -> l.fastcgi() != null).findFirst().orElseThrow()
                .fastcgi();
        assertThat(upstream.kind()).isEqualTo(FastcgiPass.Kind.UPSTREAM);
        assertThat(upstream.upstream()).isEqualTo("app_php");
        assertThat(sites.upstreams()).containsExactly(new Upstream("app_php", List.of("127.0.0.5:9001")));
        assertThat(location(app, "/wp-config.php").modifier()).isEqualTo("=");

        ServerBlock secure = server(sites, "secure.example.test", 443);
        assertThat(secure.listens()).containsExactly(new Listen("127.0.0.5", 443, null, true, true, false, false, false));
        assertThat(secure.sslCertificate()).isEqualTo("/etc/nginx/ssl/secure.crt");
        assertThat(secure.sslCertificateKey()).isEqualTo("/etc/nginx/ssl/secure.key");
        assertThat(secure.sslDhparam()).isEqualTo("/etc/nginx/ssl/dhparam.pem");
        Location lua = location(secure, "/lua");
        assertThat(lua.moduleDirectives()).containsExactly(new ModuleUse("content_by_lua_block", "lua"));

        ServerBlock redirect = server(sites, "secure.example.test", 80);
        assertThat(redirect.returnDirective()).startsWith("301 https://");
        assertThat(redirect.root()).isNull();
    }

    @Test
    void debiansStockConfigurationHasOneDefaultServerOnIpv4AndIpv6() {
        NginxSites sites = sites("nginx/debian-default-nginx-T.txt");
        assertThat(sites.servers()).hasSize(1);
        ServerBlock s = sites.servers().getFirst();
        assertThat(s.listens()).containsExactly(
                new Listen(null, 80, null, false, false, true, false, false),
                new Listen("::", 80, null, false, false, true, true, false));
        assertThat(s.serverNames()).containsExactly("_");
        assertThat(s.root()).isEqualTo("/var/www/html");
        assertThat(s.index()).containsExactly("index.html", "index.htm", "index.nginx-debian.html");
        assertThat(location(s, "/").tryFiles()).containsExactly("$uri", "$uri/", "=404");
    }

    @Test
    void listensInEveryFormAndHttp2On() {
        NginxSites sites = NginxSites.from(NginxConfigParser.parse("""
                http {
                    server { listen [2001:db8::1]:8443 ssl; listen unix:/run/nginx.sock; listen 8080 default;
                             listen *:81 reuseport backlog=511; listen example.org; http2 on; }
                    server { server_name nolisten; }
                }
                """, "t.conf"));
        assertThat(sites.servers().get(0).listens()).containsExactly(
                new Listen("2001:db8::1", 8443, null, true, true, false, true, false),
                new Listen(null, 0, "/run/nginx.sock", false, true, false, false, false),
                new Listen(null, 8080, null, false, true, true, false, false),
                new Listen(null, 81, null, false, true, false, false, false),
                new Listen("example.org", 80, null, false, true, false, false, false));
        assertThat(sites.servers().get(1).listens()).containsExactly(Listen.DEFAULT);
        assertThatThrownBy(() -> NginxSites.from(NginxConfigParser.parse("http { server { listen 99999; } }", "t.conf")))
                .isInstanceOf(NginxParseException.class).hasMessageContaining("port out of range in t.conf:1");
    }

    @Test
    void nestedNamedAndIfLocationsAndInheritedFastcgiParams() {
        NginxSites sites = NginxSites.from(NginxConfigParser.parse("""
                http {
                    root /srv/http-root;
                    fastcgi_param SCRIPT_FILENAME /app$fastcgi_script_name;
                    server {
                        server_name "quoted name";
                        location ^~ /api/ {
                            location ~* \\.php$ {
                                if ($request_method = POST) { more_set_headers "X-Post: 1"; }
                                fastcgi_pass 10.0.0.5:9000;
                            }
                        }
                        location @fallback { proxy_pass http://backend; }
                        location =/exact { rewrite ^ /x last; }
                        location /own { fastcgi_param PATH_INFO $uri; fastcgi_pass [::1]:9001; }
                    }
                }
                """, "t.conf"));
        ServerBlock s = sites.servers().getFirst();
        assertThat(s.serverNames()).containsExactly("quoted name");
        assertThat(s.root()).isEqualTo("/srv/http-root");
        Location api = location(s, "/api/");
        assertThat(api.modifier()).isEqualTo("^~");
        Location php = api.locations().getFirst();
        assertThat(php.modifier()).isEqualTo("~*");
        assertThat(php.fastcgi()).isEqualTo(new FastcgiPass("10.0.0.5:9000", FastcgiPass.Kind.TCP, null, "10.0.0.5",
                9000, null, "/app$fastcgi_script_name", null, null, null));
        assertThat(php.moduleDirectives()).extracting(ModuleUse::module).containsExactly("headers-more");
        Location named = location(s, "fallback");
        assertThat(named.modifier()).isEqualTo("@");
        assertThat(named.proxyPass()).isEqualTo("http://backend");
        Location exact = location(s, "/exact");
        assertThat(exact.modifier()).isEqualTo("=");
        assertThat(exact.rewrites()).containsExactly("^ /x last");
        // A level with its own fastcgi_param inherits none from above, as in nginx.
        FastcgiPass own = location(s, "/own").fastcgi();
        assertThat(own.scriptFilename()).isNull();
        assertThat(own.pathInfo()).isEqualTo("$uri");
        assertThat(own.host()).isEqualTo("::1");
        assertThat(own.port()).isEqualTo(9001);
    }

    @Test
    void includesAreInlinedByGlobInNameOrderAndMissingOnesAreErrors() {
        NginxDump dump = NginxDump.parse("""
                # configuration file /etc/nginx/nginx.conf:
                http { include /etc/nginx/sites-enabled/*; include conf.d/extra.conf; }

                # configuration file /etc/nginx/sites-enabled/b:
                server { server_name b; }

                # configuration file /etc/nginx/sites-enabled/a:
                server { server_name a; }

                # configuration file /etc/nginx/conf.d/extra.conf:
                server { server_name extra; }
                """);
        NginxSites sites = NginxSites.from(dump.effective());
        assertThat(sites.servers()).extracting(s -> s.serverNames().getFirst()).containsExactly("a", "b", "extra");
        assertThat(sites.servers().getFirst().file()).isEqualTo("/etc/nginx/sites-enabled/a");

        NginxDump missing = NginxDump.parse("# configuration file /etc/nginx/nginx.conf:\ninclude snippets/x.conf;\n");
        assertThatThrownBy(missing::effective).isInstanceOf(NginxParseException.class)
                .hasMessage("included file /etc/nginx/snippets/x.conf is not in the nginx -T output in "
                        + "/etc/nginx/nginx.conf:1");
        NginxDump loop = NginxDump.parse("# configuration file /etc/nginx/nginx.conf:\ninclude nginx.conf;\n");
        assertThatThrownBy(loop::effective).hasMessageContaining("(a loop?)");
        assertThatThrownBy(() -> NginxDump.parse("nginx: [emerg] unknown directive\n"))
                .isInstanceOf(NginxParseException.class).hasMessageContaining("expected \"# configuration file");
    }
}
