-- 003: the procedure catalogue (domain.md §2). A procedure is an identity (its national code)
-- with versions; a version and everything under it (channels, cases, components, workflow
-- steps) is immutable once written, because dossiers point at version and case rows. An edit
-- writes a new version and moves procedure.current_version_id. procedure_search holds one
-- row per procedure (its version in force), folded for search; the full-text index over it
-- is the only dialect-specific part (see the blocks at the end).

CREATE TABLE field (
	id @ID@,
	code TEXT NOT NULL UNIQUE,          -- our stable slug: 'ho-tich', 'chung-thuc', ...
	name TEXT NOT NULL,
	name_fold TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);

CREATE TABLE procedure (
	id @ID@,
	code TEXT NOT NULL UNIQUE,          -- mã TTHC: 1.001193, or 1.012753.H19 for a provincial one
	current_version_id BIGINT,          -- the version in force; NULL only inside its first insert
	versions INTEGER NOT NULL,          -- how many versions exist (the latest number)
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE procedure_version (
	id @ID@,
	procedure_id BIGINT NOT NULL REFERENCES procedure(id),
	version INTEGER NOT NULL,
	name TEXT NOT NULL,
	field_id BIGINT NOT NULL REFERENCES field(id),
	levels TEXT NOT NULL,               -- ' commune province ': space-delimited level keys
	kind TEXT,                          -- loại thủ tục
	competent_agency TEXT,              -- cơ quan có thẩm quyền
	competent_unit_id BIGINT REFERENCES unit(id),
	executing_agency TEXT,              -- cơ quan thực hiện
	coordinating_agency TEXT,           -- cơ quan phối hợp
	subjects TEXT,                      -- đối tượng thực hiện
	legal_basis TEXT,                   -- căn cứ pháp lý
	decision TEXT,                      -- quyết định công bố (number, and date when known)
	effective_from TEXT NOT NULL,       -- YYYY-MM-DD
	result TEXT,                        -- kết quả
	result_paper INTEGER NOT NULL,      -- 1 when the result is a paper document
	conditions TEXT,                    -- yêu cầu, điều kiện
	steps_text TEXT,                    -- trình tự thực hiện
	online_mode TEXT NOT NULL,          -- full | partial | none
	non_territorial INTEGER NOT NULL,   -- accepted regardless of administrative boundary
	cutoff_minute INTEGER,              -- minutes after midnight, NULL when none
	source TEXT NOT NULL,               -- seed | national | xlsx | csv | api
	source_url TEXT,
	note TEXT,                          -- why this version (change note)
	content_hash TEXT NOT NULL,         -- SHA-256 of the canonical content: re-import detection
	created_at BIGINT NOT NULL,
	created_by BIGINT,
	UNIQUE (procedure_id, version)
);

-- Per channel: 1 direct (trực tiếp), 2 online (trực tuyến), 3 postal (bưu chính công ích).
CREATE TABLE procedure_channel (
	version_id BIGINT NOT NULL REFERENCES procedure_version(id),
	channel INTEGER NOT NULL,
	time_unit TEXT,                     -- working_days | calendar_days | working_hours; NULL unknown
	time_minutes BIGINT,                -- working minutes (480 = a working day); calendar days x 1440
	time_text TEXT,                     -- as published
	fee BIGINT,                         -- VND; NULL when unknown or in another currency
	fee_text TEXT,                      -- as published
	PRIMARY KEY (version_id, channel)
);

CREATE TABLE procedure_case (
	id @ID@,
	version_id BIGINT NOT NULL REFERENCES procedure_version(id),
	seq INTEGER NOT NULL,
	name TEXT NOT NULL
);
CREATE INDEX procedure_case_version ON procedure_case(version_id);

CREATE TABLE procedure_component (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES procedure_case(id),
	seq INTEGER NOT NULL,
	grp TEXT,                           -- the heading it was listed under ("Giấy tờ phải nộp")
	name TEXT NOT NULL,
	form TEXT,                          -- the form template's name, when there is one
	originals INTEGER NOT NULL,
	copies INTEGER NOT NULL,
	required INTEGER NOT NULL,
	has_eform INTEGER NOT NULL
);
CREATE INDEX procedure_component_case ON procedure_component(case_id);

-- The internal workflow (quy trình nội bộ) of a case: ordered steps whose allotted working
-- minutes sum to at most the legal time.
CREATE TABLE procedure_step (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES procedure_case(id),
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	unit_kind TEXT,
	unit_id BIGINT REFERENCES unit(id),
	minutes BIGINT NOT NULL
);
CREATE INDEX procedure_step_case ON procedure_step(case_id);

-- The search row of each procedure's version in force. *_key columns are folded words joined
-- by single spaces with a space on each side (' dang ky khai sinh '), so that a word prefix is
-- the portable LIKE '% khai%'.
CREATE TABLE procedure_search (
	procedure_id BIGINT PRIMARY KEY REFERENCES procedure(id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	field_key TEXT NOT NULL,
	body_key TEXT NOT NULL,
	name_words INTEGER NOT NULL,        -- words of the name without a leading "Thủ tục"
	field_code TEXT NOT NULL,
	levels TEXT NOT NULL,
	online_mode TEXT NOT NULL,
	agency_key TEXT NOT NULL,
	competent_unit_id BIGINT
);
CREATE INDEX procedure_search_code ON procedure_search(code);

-- Bumped by every catalogue write, so that caches (the search vocabulary) know when to reload.
CREATE TABLE catalogue_state (
	id INTEGER PRIMARY KEY,
	generation BIGINT NOT NULL
);
INSERT INTO catalogue_state (id, generation) VALUES (1, 0);

-- Full-text candidate retrieval: FTS5 on SQLite, a 'simple' tsvector with GIN on PostgreSQL
-- (no extension). Both index the same pre-folded words; ranking is portable SQL (procedure.c).
-- @sqlite
CREATE VIRTUAL TABLE procedure_fts USING fts5(name_key, field_key, body_key, prefix='2 3 4');
-- @end
-- @postgres
ALTER TABLE procedure_search ADD COLUMN tsv tsvector;
CREATE INDEX procedure_search_tsv ON procedure_search USING gin (tsv);
-- @end
