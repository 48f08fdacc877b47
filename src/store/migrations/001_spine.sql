-- 001: the spine: units, users and their roles per unit, sessions, API tokens, the audit
-- log with its hash chain, settings. Portable SQL: @ID@ and @BLOB@ are replaced per driver.

CREATE TABLE unit (
	id @ID@,
	parent_id BIGINT REFERENCES unit(id),
	path TEXT NOT NULL,                 -- '/1/7/23/': ids from the root, for subtree checks
	depth INTEGER NOT NULL,
	code TEXT UNIQUE,                   -- QCVN 102 identifier, e.g. 000.00.13.G04
	name TEXT NOT NULL,
	name_fold TEXT NOT NULL,            -- accent-folded, for search
	kind TEXT NOT NULL,
	effective_from TEXT,                -- YYYY-MM-DD
	effective_to TEXT,                  -- the day it closed (no longer accepts work)
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX unit_parent ON unit(parent_id);
CREATE INDEX unit_path ON unit(path);

-- Old units (before a merger or a rename) that now live on as another unit.
CREATE TABLE unit_alias (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES unit(id),
	old_code TEXT,
	old_name TEXT NOT NULL,
	old_name_fold TEXT NOT NULL,
	since TEXT,                         -- YYYY-MM-DD the alias took effect
	note TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX unit_alias_unit ON unit_alias(unit_id);
CREATE INDEX unit_alias_code ON unit_alias(old_code);

CREATE TABLE app_user (
	id @ID@,
	username TEXT NOT NULL UNIQUE,
	full_name TEXT NOT NULL,
	email TEXT,
	phone TEXT,
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	password_changed_at BIGINT NOT NULL
);

CREATE TABLE user_role (
	user_id BIGINT NOT NULL REFERENCES app_user(id),
	role TEXT NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES unit(id),
	granted_at BIGINT NOT NULL,
	granted_by BIGINT,
	PRIMARY KEY (user_id, role, unit_id)
);
CREATE INDEX user_role_unit ON user_role(unit_id);

-- Server-side sessions. The cookie carries a random token; only its SHA-256 is stored.
CREATE TABLE session (
	id @ID@,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES app_user(id),
	csrf_token TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	remote TEXT,
	revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX session_by_user ON session(user_id);

-- Integration tokens (Authorization: Bearer). Shown once, stored hashed.
CREATE TABLE api_token (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES app_user(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT,
	last_used_at BIGINT,
	revoked_at BIGINT
);
CREATE INDEX api_token_user ON api_token(user_id);

-- Failed logins per account, shared by every node (per-address limits live in memory).
CREATE TABLE login_failure (
	username TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	window_start BIGINT NOT NULL
);

-- Append-only, hash-chained log of administrative actions. hash = SHA-256 over prev_hash and
-- the row's fields (service/audit.c); chain_head serialises appends and remembers the tip.
CREATE TABLE audit_log (
	id @ID@,
	seq BIGINT NOT NULL UNIQUE,
	at BIGINT NOT NULL,
	actor_id BIGINT,
	actor_name TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE TABLE chain_head (
	name TEXT PRIMARY KEY,
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO chain_head (name, seq, hash)
VALUES ('audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE setting (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);
