# The commands Ferry's inventory runs (migrations/.../inventory/InventoryCommands.java), as one sh script
# for the OpenSSH and Ansible runs of the benchmark. Keep the two in step.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"; export PATH
cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release
nproc
cat /proc/meminfo
nginx -V 2>&1
nginx -T -q > /tmp/nginx-T.$$ ; cat /tmp/nginx-T.$$
php -v
php -m
php --ini
for f in /usr/sbin/php-fpm* /usr/local/sbin/php-fpm*; do
  [ -x "$f" ] && [ -f "$f" ] && { "$f" -v; "$f" -tt 2>&1; }
done
if command -v mariadbd >/dev/null 2>&1; then mariadbd --version; elif command -v mysqld >/dev/null 2>&1; then mysqld --version; fi
my_print_defaults mysqld server mariadb mariadbd
for r in $(awk '$1 == "root" || $1 == "alias" { sub(";", "", $2); print $2 }' /tmp/nginx-T.$$ | sort -u); do
  find "$r" -xdev -printf '%y\0%U\0%G\0%u\0%g\0%m\0%s\0%n\0%i\0%p\0%l\0'
  for f in "$r/wp-config.php"; do [ -f "$f" ] && cat -- "$f"; done
done
id www-data
rm -f /tmp/nginx-T.$$
