<?php

/**
 * @file
 * Drupal site-specific configuration file.
 *
 * Database settings example, as in default.settings.php:
 * @code
 * $databases['default']['default'] = [
 *   'database' => 'databasename',
 *   'username' => 'sqlusername',
 *   'password' => 'sqlpassword',
 *   'host' => 'localhost',
 * ];
 * @endcode
 */

$databases = [];

$settings['hash_salt'] = 'abcdefghijklmnopqrstuvwxyz';
$settings['update_free_access'] = FALSE;

$databases['default']['default'] = array (
  'database' => 'drupal10',
  'username' => 'drupal',
  'password' => 'drupal-Secr3t',
  'prefix' => '',
  'host' => 'localhost',
  'port' => '3306',
  'isolation_level' => 'READ COMMITTED',
  'driver' => 'mysql',
  'namespace' => 'Drupal\\mysql\\Driver\\Database\\mysql',
  'autoload' => 'core/modules/mysql/src/Driver/Database/mysql/',
  'init_commands' => [
    'isolation_level' => 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
  ],
);
$settings['config_sync_directory'] = 'sites/default/files/config_' . 'x';
