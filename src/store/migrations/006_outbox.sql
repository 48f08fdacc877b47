-- 006: notifications. The webhook a row goes to (its secret signs the body), and the partial
-- indexes that let the sender and the staff-warning sweep read a few rows instead of scanning:
-- each holds only the rows that are still "live" (pending, clock running, step running,
-- waiting for a supplement), so it stays small however many dossiers are closed.

ALTER TABLE outbox ADD COLUMN webhook_id BIGINT;

-- The sender claims due rows per channel: e-mail rows wait here while no SMTP server is
-- configured without slowing the claim of webhook rows.
CREATE INDEX outbox_pending ON outbox(channel, next_attempt_at) WHERE status = 'pending';

-- The sweep: dossiers whose clock runs, by due date (due soon, late).
CREATE INDEX dossier_running_due ON dossier(due_at) WHERE state IN ('accepted', 'processing');
-- The sweep: the running step of each dossier, by its due date.
CREATE INDEX dossier_step_running_due ON dossier_step(due_at)
	WHERE finished_at IS NULL AND started_at IS NOT NULL;
-- The sweep: supplements whose period ran out.
CREATE INDEX dossier_supplement_due ON dossier(supplement_deadline)
	WHERE state = 'waiting_supplement';
