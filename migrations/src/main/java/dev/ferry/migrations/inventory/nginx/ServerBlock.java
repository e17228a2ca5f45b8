package dev.ferry.migrations.inventory.nginx;

import java.util.List;

/**
 * One {@code server} block of the http context. Root, index and TLS paths are the effective ones (the server's
 * own or inherited from http).
 *
 * @param file             where the block starts
 * @param root             null when neither the server nor http sets one
 * @param moduleDirectives module directives of the server itself, outside its locations
 * @param returnDirective  a server-level {@code return} ({@code 301 https://$host$request_uri}); null if none
 */
public record ServerBlock(String file, int line, List<Listen> listens, List<String> serverNames, String root,
                          List<String> index, String sslCertificate, String sslCertificateKey, String sslDhparam,
                          String sslTrustedCertificate, List<Location> locations, List<ModuleUse> moduleDirectives,
                          String returnDirective, List<String> rewrites, List<String> accessLogs,
                          List<String> errorLogs) {

    public ServerBlock {
        listens = List.copyOf(listens);
        serverNames = List.copyOf(serverNames);
        index = List.copyOf(index);
        locations = List.copyOf(locations);
        moduleDirectives = List.copyOf(moduleDirectives);
        rewrites = List.copyOf(rewrites);
        accessLogs = List.copyOf(accessLogs);
        errorLogs = List.copyOf(errorLogs);
    }
}
