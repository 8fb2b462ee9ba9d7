-- Rich-text content of a document revision: sanitised HTML (an allow-list of tags and
-- attributes, never a script), kept beside the plain-text rendering in `body`, which the
-- signature covers and the diff between revisions compares. Editable only while draft.

ALTER TABLE documents
  ADD COLUMN content_html text NOT NULL DEFAULT '' CHECK (length(content_html) <= 400000);
