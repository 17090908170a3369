// Installs resolve-hooks.mjs for the rest of the process (Node >= 20.6). Used both by `node --import` and by
// check-spark-sql.mjs itself, which registers the hooks before it imports dt-sql-parser dynamically.
import { register } from 'node:module';

register('./resolve-hooks.mjs', import.meta.url);
