// Prints the README's "Differences from Node" table, generated from the
// differential harness's one list (test/differential/differences.mjs):
//   node scripts/differences-table.mjs
// The differential test checks that README.md holds exactly this table.

import { markdownTable } from '../test/differential/differences.mjs';

process.stdout.write(markdownTable());
