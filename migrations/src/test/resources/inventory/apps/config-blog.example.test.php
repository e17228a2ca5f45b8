<?php
define('DB_NAME', 'wordpress_blog');
define('DB_USER', 'wp_blog');
define('DB_PASSWORD', "S3cret-\"quoted\"-pw");
define('DB_HOST', '127.0.0.3:3307');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
?>
