import { namesFrom, type RecordNames } from '../../platform/module.js';

export const QUALITY_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  inspection_id: namesFrom('SELECT id, number AS code, number AS name FROM inspections WHERE id = ANY($1::uuid[])'),
};
