-- Output reports store where they came from like every other execution record: `source` (web,
-- api, system) and the registered device that sent them. Reports made before keep `web`.

ALTER TABLE work_order_outputs
  ADD COLUMN source    text NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'api', 'system')),
  ADD COLUMN device_id uuid;
ALTER TABLE work_order_outputs ALTER COLUMN source DROP DEFAULT;
