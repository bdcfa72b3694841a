// Prints both observations of scenarios and the verdict, for working on one:
//   node test/differential/show.mjs <id or id prefix> [...]

import { inspect } from 'node:util';
import * as nodeTls from 'node:tls';
import * as ours from '../../src/index.js';
import { judge } from './compare.mjs';
import { differences } from './differences.mjs';
import { observe, observeCurrentNode } from './observe.mjs';
import { scenarios } from './scenarios.mjs';
import { startServer } from './servers.mjs';

/** One side, in this process (isolated scenarios run here too: their stderr is not captured). */
async function side(scenario, tls, isNode) {
  if (isNode && scenario.oracle === 'current') return observeCurrentNode(await scenario.client({}));
  const live = await startServer(scenario.server);
  try {
    return await observe(tls, scenario, live);
  } finally {
    await live.close();
  }
}

for (const prefix of process.argv.slice(2)) {
  for (const scenario of scenarios.filter(({ id }) => id.startsWith(prefix))) {
    const node = await side(scenario, nodeTls, true);
    const mine = await side(scenario, ours, false);
    const { verdict, problems } = judge(scenario.id, node, mine, differences);
    console.log(`== ${scenario.id}: ${verdict}`);
    console.log('node:', inspect(node, { depth: 8, breakLength: 160 }));
    console.log('ours:', inspect(mine, { depth: 8, breakLength: 160 }));
    for (const problem of problems) console.log('  ', problem);
  }
}
