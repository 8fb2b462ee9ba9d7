import { modules } from '../src/modules/index.js';
import { registerSignables } from '../src/platform/module.js';

// Services are called directly in many tests, without the app that registers signable record types.
registerSignables(modules);
