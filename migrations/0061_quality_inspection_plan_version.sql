-- Inspection plans are edited by people: a row version, raised by every change, is the plan's
-- ETag, so a change made on a plan someone else changed meanwhile is refused (If-Match).
ALTER TABLE inspection_plans ADD COLUMN version integer NOT NULL DEFAULT 1;
