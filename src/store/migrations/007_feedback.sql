-- 007: feedback (phản ánh, kiến nghị) with its own legal deadlines, its append-only event log
-- (hash-chained per item like the dossier's), and the citizens' ratings of returned dossiers.

CREATE TABLE feedback (
	id @ID@,
	code TEXT NOT NULL UNIQUE,              -- PA-{yyMMdd}-{id}
	channel TEXT NOT NULL,                  -- web | hotline | counter
	state TEXT NOT NULL,                    -- received | refused | info_requested | assigned | answered | published
	content TEXT NOT NULL,
	name TEXT NOT NULL,
	phone TEXT,
	email TEXT,
	dossier_code TEXT,
	procedure_code TEXT,
	unit_id BIGINT NOT NULL REFERENCES unit(id),
	classification TEXT,
	assignee_id BIGINT,
	reason TEXT,                            -- refusal or what information is asked
	answer TEXT,
	received_at BIGINT NOT NULL,
	refuse_due BIGINT NOT NULL,
	info_due BIGINT NOT NULL,
	answer_due BIGINT NOT NULL,
	publish_due BIGINT,
	refused_at BIGINT,
	info_requested_at BIGINT,
	assigned_at BIGINT,
	answered_at BIGINT,
	published_at BIGINT,
	event_seq BIGINT NOT NULL DEFAULT 0,
	event_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX feedback_unit ON feedback(unit_id, received_at);

CREATE TABLE feedback_event (
	feedback_id BIGINT NOT NULL REFERENCES feedback(id),
	seq INTEGER NOT NULL,
	at BIGINT NOT NULL,
	actor_name TEXT NOT NULL,
	action TEXT NOT NULL,
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	note TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (feedback_id, seq)
);

-- One rating per returned dossier.
CREATE TABLE dossier_rating (
	dossier_id BIGINT NOT NULL PRIMARY KEY REFERENCES dossier(id),
	unit_id BIGINT NOT NULL,                -- the dossier's competent unit
	satisfied INTEGER NOT NULL,
	reasons TEXT NOT NULL,                  -- comma-separated codes
	feedback_id BIGINT,
	at BIGINT NOT NULL
);
CREATE INDEX dossier_rating_unit ON dossier_rating(unit_id, at);
