<?php
/**
 * The base configuration for WordPress
 *
 * define( 'DB_NAME', 'not_this_one' );   (inside a block comment)
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
/** The name of the database for WordPress */
define( 'DB_NAME', 'blog_wp' );

/** Database username */
define( "DB_USER" , "blog_user" );

/** Database password */
define( 'DB_PASSWORD', 'Tr1cky\'"pa$$word;//#' );

/** Database hostname */
define( 'DB_HOST', 'localhost:/run/mysqld/mysqld.sock' );
# define( 'DB_HOST', '10.0.0.9' );
// define( 'DB_HOST', '10.0.0.8' );

/** Database charset to use in creating database tables. */
define( 'DB_CHARSET', 'utf8mb4' );

/** The database collate type. Don't change this if in doubt. */
define( 'DB_COLLATE', '' );

define( 'AUTH_KEY',         'put your unique phrase here' );

/**
 * WordPress database table prefix.
 */
$table_prefix = 'blog_';

define( 'WP_DEBUG', false );

/* That's all, stop editing! Happy publishing. */

/** Absolute path to the WordPress directory. */
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}

/** Sets up WordPress vars and included files. */
require_once ABSPATH . 'wp-settings.php';
