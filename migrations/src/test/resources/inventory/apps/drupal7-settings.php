<?php
$databases = array (
  'default' =>
  array (
    'default' =>
    array (
      'database' => 'd7',
      'username' => 'd7user',
      'password' => 'd7-Secr3t',
      'host' => '',
      'unix_socket' => '/var/run/mysqld/mysqld.sock',
      'port' => '',
      'driver' => 'mysql',
      'prefix' => 'd7_',
    ),
  ),
);
$drupal_hash_salt = 'salt';
