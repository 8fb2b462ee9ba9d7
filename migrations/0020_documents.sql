-- Controlled documents (ISO 13485 §4.2.4, Part 11 §11.10(k)): SOPs, work instructions, forms
-- and specifications with revisions, review, approval and release by electronic signature.
-- One row per revision; all revisions of a document share its number.

CREATE TABLE documents (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  number        text NOT NULL CHECK (number ~ '^DOC-[0-9]{4}-[0-9]{5,}$'),
  revision      integer NOT NULL CHECK (revision >= 1),
  kind          text NOT NULL CHECK (kind IN ('sop', 'work_instruction', 'form', 'specification', 'policy')),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  summary       text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  body          text NOT NULL DEFAULT '' CHECK (length(body) <= 200000),
  -- The function that owns the document, e.g. "Quality Assurance".
  owner         text NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
  -- Who wrote this revision: may not approve it.
  author_id     text NOT NULL,
  author_name   text NOT NULL,
  status        text NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'in_review', 'approved', 'effective', 'obsolete')),
  effective_at  timestamptz,
  -- Row version for optimistic concurrency (ETag / If-Match).
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number, revision)
);
-- At most one revision in work and one in force per document.
CREATE UNIQUE INDEX documents_one_open ON documents (tenant_id, number) WHERE status IN ('draft', 'in_review', 'approved');
CREATE UNIQUE INDEX documents_one_effective ON documents (tenant_id, number) WHERE status = 'effective';
CREATE INDEX documents_status ON documents (tenant_id, status, number);

-- No DELETE: controlled documents are never removed, only made obsolete (Part 11 §11.10(c)).
SELECT mf_tenant_table('documents', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('documents');
SELECT mf_audit_require_reason('documents', $$OLD.status IN ('approved', 'effective', 'obsolete')$$);
