-- 008: the citizen's side of feedback, and each unit's published hotline.
-- A feedback item gets a secret given once to whoever submitted it (only its SHA-256 is kept):
-- with the code it shows the item's progress and answers a request for more information,
-- whose text and time are kept on the item (every reply is also in the item's event log).
ALTER TABLE feedback ADD COLUMN secret_hash TEXT;
ALTER TABLE feedback ADD COLUMN info_reply TEXT;
ALTER TABLE feedback ADD COLUMN info_replied_at BIGINT;

-- The hotline (đường dây nóng) and feedback e-mail a unit publishes (domain.md §11); one row
-- per unit that has set them, edited by the unit's administrator.
CREATE TABLE unit_contact (
	unit_id BIGINT NOT NULL PRIMARY KEY REFERENCES unit(id),
	hotline TEXT,
	feedback_email TEXT,
	updated_at BIGINT NOT NULL
);
