-- A jump host's key is pinned like the host's own: connections through an unknown bastion are refused.
ALTER TABLE hosts ADD COLUMN jump_host_fingerprint VARCHAR(128);
