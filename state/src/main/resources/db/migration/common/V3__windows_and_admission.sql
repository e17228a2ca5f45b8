-- Maintenance windows, and what the engine needs to hold migrations back (a window that is closed, a full
-- queue): why a migration is held and since when, and which phase's admission it has passed.

CREATE TABLE windows (
    name             VARCHAR(63)  NOT NULL PRIMARY KEY,
    cron             VARCHAR(200) NOT NULL,
    duration_seconds BIGINT       NOT NULL,
    time_zone        VARCHAR(64)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

ALTER TABLE migrations ADD COLUMN hold_reason VARCHAR(1000);
ALTER TABLE migrations ADD COLUMN held_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE migrations ADD COLUMN admitted_phase VARCHAR(32);

-- One row per lock; admission decisions lock their row so two threads (or daemons) never both take the
-- last free slot.
CREATE TABLE engine_locks (
    name VARCHAR(64) NOT NULL PRIMARY KEY
);
INSERT INTO engine_locks (name) VALUES ('admission');
