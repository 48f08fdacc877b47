-- 004: dossiers (hồ sơ), from intake to return: the dossier, its components, its per-step
-- plan, its hash-chained event log, its due-date history, its files, the daily code serial,
-- and the notification outbox. Indexes are few and narrow: every one costs intake throughput.

CREATE TABLE dossier (
	id @ID@,
	code TEXT NOT NULL UNIQUE,              -- {unit identifier}-{yyMMdd}-{NNNN}
	receiving_unit_id BIGINT NOT NULL REFERENCES unit(id),
	competent_unit_id BIGINT NOT NULL REFERENCES unit(id),
	procedure_code TEXT NOT NULL,
	procedure_version_id BIGINT NOT NULL,   -- the catalogue version it was received under
	procedure_version INTEGER NOT NULL,
	procedure_name TEXT NOT NULL,
	field_code TEXT,
	case_id BIGINT,
	case_name TEXT,
	channel INTEGER NOT NULL,               -- 1 direct, 2 online, 3 postal
	state TEXT NOT NULL,                    -- domain/lifecycle.h state name
	status_code INTEGER NOT NULL,           -- the national code 1..10
	applicant_kind TEXT NOT NULL,           -- person | organisation
	applicant_name TEXT NOT NULL,
	applicant_id_type TEXT,
	applicant_id_number TEXT,
	applicant_birth_date TEXT,
	applicant_address TEXT,
	applicant_phone TEXT,
	applicant_email TEXT,
	rep_name TEXT,                          -- người được ủy quyền
	rep_id_number TEXT,
	rep_phone TEXT,
	rep_relation TEXT,
	search_fold TEXT NOT NULL,              -- folded code, applicant and procedure, for work lists
	delivery_method TEXT NOT NULL,          -- counter | postal | online
	delivery_address TEXT,
	postal_tracking TEXT,
	postal_status TEXT,
	fee_amount BIGINT NOT NULL DEFAULT 0,
	fee_status TEXT NOT NULL,               -- none | pending | paid | refunded
	fee_method TEXT,
	time_unit TEXT NOT NULL,                -- the legal time, copied from the version
	time_minutes BIGINT NOT NULL,
	cutoff_minute INTEGER,
	submitted_at BIGINT,
	received_at BIGINT,                     -- accepted (the clock starts from here)
	clock_start_at BIGINT,
	due_at BIGINT,
	original_due_at BIGINT,
	paused_at BIGINT,                       -- while the clock is stopped
	paused_state TEXT,                      -- the state to go back to on resume
	supplement_count INTEGER NOT NULL DEFAULT 0,
	supplement_deadline BIGINT,
	supplement_items TEXT,
	current_step INTEGER NOT NULL DEFAULT 0,
	holder_unit_id BIGINT,                  -- the unit and role of the current step
	holder_role TEXT,
	assignee_id BIGINT,
	finished_at BIGINT,
	returned_at BIGINT,
	outcome TEXT,                           -- early | on_time | late
	result_number TEXT,
	result_signer TEXT,
	result_date TEXT,
	return_recipient TEXT,
	return_method TEXT,
	refusal_reason TEXT,
	ext_due_at BIGINT,                      -- an extension drafted, waiting for approval
	ext_reason TEXT,
	ext_by BIGINT,
	lookup_token TEXT NOT NULL,             -- printed in the receipt's QR code
	event_seq BIGINT NOT NULL DEFAULT 0,    -- the tip of the event chain
	event_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX dossier_holder ON dossier(holder_unit_id, due_at);
CREATE INDEX dossier_competent ON dossier(competent_unit_id, received_at);
CREATE INDEX dossier_receiving ON dossier(receiving_unit_id, received_at);

CREATE TABLE dossier_serial (
	unit_id BIGINT NOT NULL,
	day TEXT NOT NULL,                      -- yyMMdd
	last INTEGER NOT NULL,
	PRIMARY KEY (unit_id, day)
);

CREATE TABLE dossier_component (
	dossier_id BIGINT NOT NULL REFERENCES dossier(id),
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	originals INTEGER NOT NULL,
	copies INTEGER NOT NULL,
	file_sha256 TEXT,
	PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE dossier_step (
	dossier_id BIGINT NOT NULL REFERENCES dossier(id),
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	unit_id BIGINT NOT NULL,
	minutes BIGINT NOT NULL,                -- allotted working minutes
	due_at BIGINT,
	started_at BIGINT,
	finished_at BIGINT,
	assignee_id BIGINT,
	outcome TEXT,                           -- early | on_time | late, when finished
	transferred INTEGER NOT NULL DEFAULT 0, -- added by a transfer (liên thông)
	PRIMARY KEY (dossier_id, seq)
);

-- Append-only, hash-chained per dossier (dossier.event_seq / event_hash hold the tip).
CREATE TABLE dossier_event (
	dossier_id BIGINT NOT NULL REFERENCES dossier(id),
	seq INTEGER NOT NULL,
	at BIGINT NOT NULL,
	actor_id BIGINT,
	actor_name TEXT NOT NULL,
	action TEXT NOT NULL,
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	step_seq INTEGER NOT NULL,
	note TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE dossier_due (
	dossier_id BIGINT NOT NULL REFERENCES dossier(id),
	seq INTEGER NOT NULL,
	at BIGINT NOT NULL,
	due_at BIGINT NOT NULL,
	reason TEXT NOT NULL,
	by_name TEXT NOT NULL,
	PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE dossier_file (
	dossier_id BIGINT NOT NULL REFERENCES dossier(id),
	sha256 TEXT NOT NULL,
	kind TEXT NOT NULL,                     -- component | result | supplement
	component_seq INTEGER,
	name TEXT NOT NULL,
	mime TEXT NOT NULL,
	size BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (dossier_id, sha256)
);

-- Messages written in the same transaction as the change they tell about; a sender thread
-- delivers them (e-mail, webhook) with retries.
CREATE TABLE outbox (
	id @ID@,
	dossier_id BIGINT,
	kind TEXT NOT NULL,
	channel TEXT NOT NULL,                  -- email | webhook
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	status TEXT NOT NULL,                   -- pending | sent | failed
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	last_error TEXT,
	created_at BIGINT NOT NULL,
	sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Webhook subscribers per unit (integrations: the national portal sync, SMS gateways).
CREATE TABLE webhook (
	id @ID@,
	unit_id BIGINT NOT NULL REFERENCES unit(id),
	url TEXT NOT NULL,
	secret TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

-- Staff warnings already raised, so the sweep warns once per step and kind.
CREATE TABLE dossier_warning (
	dossier_id BIGINT NOT NULL,
	step_seq INTEGER NOT NULL,
	kind TEXT NOT NULL,                     -- due_soon | late
	at BIGINT NOT NULL,
	PRIMARY KEY (dossier_id, step_seq, kind)
);
