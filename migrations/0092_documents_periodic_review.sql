-- Periodic review (ISO 13485 §4.2.4): every document is reviewed at an interval in months; the
-- next review date is set when a revision becomes effective and moved on by each signed review.

ALTER TABLE documents
  ADD COLUMN review_interval_months integer NOT NULL DEFAULT 24 CHECK (review_interval_months BETWEEN 1 AND 120),
  ADD COLUMN next_review_on date,
  ADD COLUMN last_reviewed_on date;
CREATE INDEX documents_next_review ON documents (tenant_id, next_review_on) WHERE status = 'effective';
