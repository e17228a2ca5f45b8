#!/usr/bin/env bash
# PID 1 of a test legacy host's PID namespace: mounts the host's tree over the standard paths (inside its own
# mount namespace), starts MariaDB, PHP-FPM, nginx and sshd in the foreground as its children, and waits.
# When it dies, the kernel kills everything in the namespace.
set -euo pipefail
ROOT=$1 ADDR=$2
for d in etc/nginx etc/php etc/mysql etc/ssh etc/sudoers.d var/www var/log var/lib/mysql srv home; do
  mount --bind "$ROOT/$d" "/$d"
done
for f in etc/passwd etc/group etc/shadow; do
  mount --bind "$ROOT/$f" "/$f"
done
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/php /run/mysqld /run/sshd /run/sudo
chown mysql:mysql /run/mysqld
chown www-data:www-data /run/php
hostname "legacy-${ADDR//./-}"

if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=socket \
    > /var/log/mariadb-install.log 2>&1
fi
mariadbd --defaults-file=/etc/mysql/my.cnf > /var/log/mariadb.log 2>&1 &
php-fpm8.2 -F -y /etc/php/8.2/fpm/php-fpm.conf > /var/log/php-fpm.out 2>&1 &
nginx -g 'daemon off;' > /var/log/nginx/stdout.log 2>&1 &
/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config > /var/log/sshd.log 2>&1 &
echo "init up" > /run/init-up
wait
