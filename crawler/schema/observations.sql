-- Weather observations collected by the crawler (and synthetic load), read by Debezium CDC.
-- This file is the single definition of the table. The crawler applies it on every start, and the platform's
-- MariaDB component runs it as an init script. Replace {{table}} with the bare table name (default `test`, as
-- in the paper) before running it. Every statement is idempotent, so re-running it is always safe.

CREATE TABLE IF NOT EXISTS `{{table}}` (
  -- Monotonic key for connectors that read incrementally (JDBC `incrementing`); CDC does not need it.
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  -- The time the source says the observation was made, converted to UTC (not the time we fetched it).
  observed_at DATETIME NOT NULL,
  -- Configured source name; synthetic rows use the prefix `synthetic:`. 191 characters keep the unique key
  -- within InnoDB's 767-byte index prefix limit under utf8mb4.
  source VARCHAR(191) NOT NULL,
  location VARCHAR(100) NOT NULL,
  temperature_c DECIMAL(5,2) NULL,
  pm10_ugm3 DECIMAL(7,2) NULL,
  pm25_ugm3 DECIMAL(7,2) NULL,
  ozone_ppm DECIMAL(6,4) NULL,
  collected_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  -- One row per observation of a source: restarts and retries cannot duplicate rows.
  UNIQUE KEY uq_source_observed (source, observed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Migrations from the first, paper-era layout (no location, no collection time, no unique key).
-- MariaDB's IF NOT EXISTS makes each one a no-op on an up-to-date table.
ALTER TABLE `{{table}}` ADD COLUMN IF NOT EXISTS location VARCHAR(100) NOT NULL DEFAULT '' AFTER source;
ALTER TABLE `{{table}}` ADD COLUMN IF NOT EXISTS collected_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3);
ALTER TABLE `{{table}}` ADD UNIQUE KEY IF NOT EXISTS uq_source_observed (source, observed_at);
