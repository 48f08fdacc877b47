-- 010: a feedback item's attachments (issue 8). The bytes live in the same content-addressed
-- store as the dossiers' files (--files DIR/sha256/ab/cdef...); a row names them for one item.
-- Written only after the file is durable on disk, with an "attach" event in the item's chain.
-- Never published: the public answer is text only.
CREATE TABLE feedback_file (
	feedback_id BIGINT NOT NULL REFERENCES feedback(id),
	sha256 TEXT NOT NULL,
	name TEXT NOT NULL,
	mime TEXT NOT NULL,
	size BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,               -- a username, or "citizen" (with the secret)
	PRIMARY KEY (feedback_id, sha256)
);
