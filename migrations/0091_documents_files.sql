-- Files attached to a document revision (ISO 13485 §4.2.4, Part 11 §11.10(a)): the bytes in the
-- database with the SHA-256 recorded at upload and checked on every download; the media type is
-- the one sniffed from the content. Attached and removed only while the revision is a draft; a
-- new revision copies the files of the one it revises. The audit trail notes the content's
-- change, never its bytes.

CREATE TABLE document_files (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  document_id   uuid NOT NULL,
  file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255 AND file_name !~ '[[:cntrl:]/\\]'),
  media_type    text NOT NULL CHECK (media_type IN (
                  'application/pdf', 'image/png', 'image/jpeg',
                  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
                  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint')),
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content       bytea NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  uploaded_by_id   text NOT NULL,
  uploaded_by_name text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id),
  UNIQUE (tenant_id, document_id, file_name)
);
CREATE INDEX document_files_document ON document_files (tenant_id, document_id);

SELECT mf_tenant_table('document_files', 'SELECT, INSERT, DELETE');
SELECT mf_audit_table('document_files', excluded_columns => ARRAY['content']);
