package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.files.RootScan;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.Shell;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The commands the inventory runs on a legacy host. Paths and names that come from the host are quoted; the
 * rest are constants. Daemons live in sbin, which a non-root login's PATH often lacks, hence the PATH prefix.
 */
final class InventoryCommands {

    private static final String PATH = "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; export PATH; ";

    static final RemoteCommand OS_RELEASE = RemoteCommand.of("os-release",
            "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release");
    static final RemoteCommand CPUS = RemoteCommand.of("nproc", "nproc");
    static final RemoteCommand MEMORY = RemoteCommand.of("meminfo", "cat /proc/meminfo");
    /** nginx prints {@code -V} on stderr. */
    static final RemoteCommand NGINX_BUILD = RemoteCommand.of("nginx-V", PATH + "nginx -V 2>&1");
    /** Root: the configuration may include files only root can read (TLS keys are checked by {@code -T}). */
    static final RemoteCommand NGINX_CONFIG = RemoteCommand.asRoot("nginx-T", PATH + "nginx -T -q");
    static final RemoteCommand PHP_VERSION = RemoteCommand.of("php-v", "php -v");
    static final RemoteCommand PHP_MODULES = RemoteCommand.of("php-m", "php -m");
    static final RemoteCommand PHP_INI = RemoteCommand.of("php-ini", "php --ini");
    /** Every php-fpm binary, one per line; none is not an error. */
    static final RemoteCommand FPM_BINARIES = RemoteCommand.of("php-fpm-list", PATH
            + "for f in /usr/sbin/php-fpm* /usr/local/sbin/php-fpm*; do [ -x \"$f\" ] && [ -f \"$f\" ] && echo \"$f\"; "
            + "done; true");
    /** The database server's version, or nothing when neither MariaDB nor MySQL is installed. */
    static final RemoteCommand DATABASE_VERSION = RemoteCommand.of("db-version", PATH
            + "if command -v mariadbd >/dev/null 2>&1; then mariadbd --version; "
            + "elif command -v mysqld >/dev/null 2>&1; then mysqld --version; fi");
    /** Root: the server's option files are often readable by root only. Prints nothing without a server. */
    static final RemoteCommand DATABASE_OPTIONS = RemoteCommand.asRoot("db-options", PATH
            + "if command -v my_print_defaults >/dev/null 2>&1; then my_print_defaults mysqld server mariadb mariadbd; "
            + "elif command -v mariadbd >/dev/null 2>&1; then mariadbd --print-defaults; "
            + "elif command -v mysqld >/dev/null 2>&1; then mysqld --print-defaults; fi");
    /** Users and groups, to know each pool user's ids without asking once per user. */
    static final RemoteCommand USERS = RemoteCommand.of("passwd", "getent passwd 2>/dev/null || cat /etc/passwd");
    static final RemoteCommand GROUPS = RemoteCommand.of("group", "getent group 2>/dev/null || cat /etc/group");

    private InventoryCommands() {
    }

    static RemoteCommand fpmVersion(String binary) {
        return RemoteCommand.of("php-fpm-v", Shell.quote(binary) + " -v");
    }

    /** {@code -tt} prints the effective configuration of every pool, on stderr. */
    static RemoteCommand fpmPools(String binary) {
        return RemoteCommand.asRoot("php-fpm-tt", Shell.quote(binary) + " -tt 2>&1");
    }

    /** phpinfo with the ini files; only its directive rows are read (see PhpSettings). */
    static RemoteCommand fpmSettings(String binary) {
        return RemoteCommand.of("php-fpm-i", Shell.quote(binary) + " -i");
    }

    /** phpinfo without any ini file: PHP's built-in defaults. */
    static RemoteCommand fpmDefaults(String binary) {
        return RemoteCommand.of("php-fpm-n-i", Shell.quote(binary) + " -n -i");
    }

    /** Root: web roots often hold files only their owner can read; {@code -xdev} keeps mounts out. */
    static RemoteCommand scanRoot(String root) {
        return RemoteCommand.asRoot("find-root", "find " + Shell.quote(root) + " -xdev -printf "
                + Shell.quote(RootScan.FIND_PRINTF));
    }

    /**
     * The files among {@code paths} that exist, as {@code path NUL content NUL} pairs. Root, because application
     * configs are usually readable by their owner only.
     */
    static RemoteCommand readFiles(String name, List<String> paths) {
        String words = paths.stream().map(Shell::quote).collect(Collectors.joining(" "));
        return RemoteCommand.asRoot(name, "for f in " + words + "; do if [ -f \"$f\" ]; then printf '%s\\0' \"$f\"; "
                + "cat -- \"$f\"; printf '\\0'; fi; done");
    }
}
