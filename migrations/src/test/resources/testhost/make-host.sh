#!/usr/bin/env bash
# Builds the file tree of a test legacy LNMP host under $1 (ROOT), for address $2 (ADDR) and sshd port $3.
# Debian's own /etc/nginx and /etc/php are copied and then changed the way a real site operator would:
# four sites, two PHP-FPM pools (Unix socket and TCP), MariaDB settings, users, SSH keys. init.sh then
# mounts this tree over the standard paths inside the host's own mount and PID namespaces.
set -euo pipefail
ROOT=$1 ADDR=$2 SSH_PORT=$3
umask 022

mkdir -p "$ROOT"/{etc,var/www,var/log/nginx,var/lib/mysql,srv,run,home,keys}
cp -a /etc/nginx "$ROOT/etc/nginx"
cp -a /etc/php "$ROOT/etc/php"
cp -a /etc/sudoers.d "$ROOT/etc/sudoers.d"
cp /etc/passwd /etc/group /etc/shadow "$ROOT/etc/"

# Users: a non-root operator with passwordless sudo, a site owner, the API pool's user.
cat >> "$ROOT/etc/passwd" <<USERS
ferryops:x:2001:2001:Ferry operator:/home/ferryops:/bin/bash
siteuser:x:2002:2002:Site owner:/home/siteuser:/usr/sbin/nologin
apiuser:x:2003:2003:API pool:/nonexistent:/usr/sbin/nologin
USERS
cat >> "$ROOT/etc/group" <<GROUPS
ferryops:x:2001:
siteuser:x:2002:
apiuser:x:2003:
GROUPS
# sshd without PAM refuses locked accounts ("!"), so these have no password but are not locked.
sed -i 's/^root:[^:]*:/root:*:/' "$ROOT/etc/shadow"
printf 'ferryops:*:19700:0:99999:7:::\nsiteuser:*:19700:0:99999:7:::\napiuser:*:19700:0:99999:7:::\n' >> "$ROOT/etc/shadow"
mkdir -p "$ROOT/home/ferryops" "$ROOT/home/siteuser"
chown 2001:2001 "$ROOT/home/ferryops"
chown 2002:2002 "$ROOT/home/siteuser"
echo 'ferryops ALL=(ALL) NOPASSWD: ALL' > "$ROOT/etc/sudoers.d/ferryops"
chmod 0440 "$ROOT/etc/sudoers.d/ferryops"

# SSH: a host key, client keys (one with a passphrase), authorized for root and ferryops.
mkdir -p "$ROOT/etc/ssh/authorized_keys"
ssh-keygen -q -t ed25519 -N '' -C "legacy-host@$ADDR" -f "$ROOT/etc/ssh/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C ferry-client -f "$ROOT/keys/client"
printf 'correct horse battery staple\n' > "$ROOT/keys/client-passphrase.txt"
ssh-keygen -q -t ed25519 -N 'correct horse battery staple' -C ferry-client-protected -f "$ROOT/keys/client-protected"
cat "$ROOT/keys/client.pub" "$ROOT/keys/client-protected.pub" > "$ROOT/etc/ssh/authorized_keys/root"
cp "$ROOT/etc/ssh/authorized_keys/root" "$ROOT/etc/ssh/authorized_keys/ferryops"
chmod 0644 "$ROOT/etc/ssh/authorized_keys/"*
cat > "$ROOT/etc/ssh/sshd_config" <<SSHD
ListenAddress $ADDR
Port $SSH_PORT
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
AuthorizedKeysFile /etc/ssh/authorized_keys/%u
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
MaxSessions 30
MaxStartups 200
LogLevel VERBOSE
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
SSHD

# TLS material for the secure site.
mkdir -p "$ROOT/etc/nginx/ssl"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=secure.example.test" \
  -addext "subjectAltName=DNS:secure.example.test" -keyout "$ROOT/etc/nginx/ssl/secure.key" \
  -out "$ROOT/etc/nginx/ssl/secure.crt" 2>/dev/null
cp "$(dirname "$0")/dhparam.pem" "$ROOT/etc/nginx/ssl/dhparam.pem"
chmod 0600 "$ROOT/etc/nginx/ssl/secure.key"

# Sites.
rm -f "$ROOT/etc/nginx/sites-enabled/default"
W="$ROOT/var/www"
mkdir -p "$W/static/css" "$W/static/img" "$W/static/sub" "$W/php/uploads" "$W/app" "$W/secure" "$ROOT/srv/docs" "$ROOT/srv/shared"
echo "<h1>static site on $ADDR</h1>" > "$W/static/index.html"
echo 'body { color: #123456; }' > "$W/static/css/site.css"
head -c 2048 /usr/share/nginx/html/index.html > /dev/null 2>&1 || true
printf '\x89PNG\r\n\x1a\n' > "$W/static/img/logo.png"; head -c 4096 /dev/urandom >> "$W/static/img/logo.png"
echo '<p>a sub page</p>' > "$W/static/sub/index.html"
echo 'a file whose name has a space' > "$W/static/read me.txt"
ln "$W/static/index.html" "$W/static/index-hardlink.html"
cat > "$W/php/index.php" <<'PHP'
<?php echo "php site: ", htmlspecialchars($_SERVER['SERVER_NAME']), " PHP ", PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION, "\n";
PHP
cat > "$W/php/info.php" <<'PHP'
<?php header('Content-Type: text/plain'); echo "PATH_INFO=", $_SERVER['PATH_INFO'] ?? '', "\nSCRIPT_FILENAME=", $_SERVER['SCRIPT_FILENAME'], "\nUSER=", posix_getpwuid(posix_geteuid())['name'], "\n";
PHP
echo 'uploaded by the app' > "$W/php/uploads/first.txt"
echo "<h2>docs served through an alias</h2>" > "$ROOT/srv/docs/index.html"
echo 'shared outside the root' > "$ROOT/srv/shared/data.txt"
ln -s /srv/shared "$W/php/shared"
ln -s ../php/index.php "$W/static/escape-link"
echo 'owned by the site user' > "$W/php/owner.txt"
cat > "$W/app/wp-config.php" <<PHP
<?php
// ** Database settings ** //
define( 'DB_NAME', 'appdb' );
define( 'DB_USER', 'appuser' );
define( 'DB_PASSWORD', 'app-db-secret-never-stored' );
define( 'DB_HOST', '$ADDR' );
define( 'DB_CHARSET', 'utf8mb4' );
\$table_prefix = 'wp_';
PHP
cat > "$W/app/index.php" <<'PHP'
<?php
require __DIR__ . '/wp-config.php';
$db = new mysqli(DB_HOST, DB_USER, DB_PASSWORD, DB_NAME);
header('Content-Type: text/plain');
foreach ($db->query('SELECT title FROM wp_posts ORDER BY id') as $row) { echo $row['title'], "\n"; }
PHP
echo "<h1>secure site</h1>" > "$W/secure/index.html"
chown -R 33:33 "$W/php" "$W/app" "$W/static"
chown 2002:2002 "$W/php/owner.txt"
chown -h 33:33 "$W/php/shared"
chmod 0775 "$W/php/uploads"
chmod 0755 "$W/static" "$W/php" "$W/app"

cat > "$ROOT/etc/nginx/sites-available/static.conf" <<NGINX
# The static site; the headers-more and brotli modules are in use here.
server {
    listen $ADDR:80 default_server;
    server_name static.example.test www.static.example.test;
    root /var/www/static;
    index index.html;
    more_set_headers 'X-Legacy-Site: static';
    brotli on;
    brotli_types text/css;
    location / {
        try_files \$uri \$uri/ =404;
    }
}
NGINX
cat > "$ROOT/etc/nginx/sites-available/php.conf" <<NGINX
server {
    listen $ADDR:80;
    server_name php.example.test;
    root /var/www/php;
    index index.php index.html;
    access_log /var/log/nginx/php.access.log;

    location / {
        try_files \$uri \$uri/ /index.php?\$args;
    }
    location /docs/ {
        alias /srv/docs/;
    }
    location ~ [^/]\.php(/|\$) {
        include snippets/fastcgi-php.conf;
        fastcgi_pass unix:/run/php/php8.2-fpm.sock;
    }
}
NGINX
cat > "$ROOT/etc/nginx/sites-available/app.conf" <<NGINX
upstream app_php {
    server $ADDR:9001;
}
server {
    listen $ADDR:80;
    server_name app.example.test;
    root /var/www/app;
    index index.php;
    location = /wp-config.php { deny all; }
    location ~ \.php\$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        fastcgi_pass app_php;
    }
}
NGINX
cat > "$ROOT/etc/nginx/sites-available/secure.conf" <<NGINX
server {
    listen $ADDR:443 ssl http2;
    server_name secure.example.test;
    ssl_certificate /etc/nginx/ssl/secure.crt;
    ssl_certificate_key /etc/nginx/ssl/secure.key;
    ssl_dhparam /etc/nginx/ssl/dhparam.pem;
    root /var/www/secure;
    location /lua {
        default_type text/plain;
        content_by_lua_block {
            ngx.say("hello {from} lua") -- a comment with } in it
        }
    }
}
server {
    listen $ADDR:80;
    server_name secure.example.test;
    return 301 https://\$host\$request_uri;
}
NGINX
for s in static php app secure; do ln -s "../sites-available/$s.conf" "$ROOT/etc/nginx/sites-enabled/$s.conf"; done

# PHP-FPM: Debian's www pool on its Unix socket, and an API pool on TCP as its own user.
cat > "$ROOT/etc/php/8.2/fpm/pool.d/api.conf" <<POOL
[api]
user = apiuser
group = apiuser
listen = $ADDR:9001
pm = static
pm.max_children = 2
php_admin_value[memory_limit] = 96M
php_value[upload_max_filesize] = 8M
php_admin_flag[display_errors] = off
POOL
sed -i 's/^pm.max_children = .*/pm.max_children = 3/' "$ROOT/etc/php/8.2/fpm/pool.d/www.conf"

# MariaDB on the host's address.
mkdir -p "$ROOT/etc/mysql"
cat > "$ROOT/etc/mysql/my.cnf" <<CNF
[mysqld]
user = mysql
bind-address = $ADDR
port = 3306
socket = /run/mysqld/mysqld.sock
pid-file = /run/mysqld/mysqld.pid
datadir = /var/lib/mysql
skip-name-resolve
innodb_buffer_pool_size = 16M
innodb_log_file_size = 8M
[client]
socket = /run/mysqld/mysqld.sock
CNF
chown -R mysql:mysql "$ROOT/var/lib/mysql"
