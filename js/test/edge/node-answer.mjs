// Node's own answer, for the Worker's to be compared with: node:tls's
// tls.connect(options) (options as JSON in argv[2]), run by the Node that runs
// this file (Node 26 in the tests). Prints one JSON line: the events seen
// before 'close', the error's fields, and authorized/authorizationError.
//
//   node test/edge/node-answer.mjs '{"port": 443, "host": "127.0.0.1", "ca": "..."}'

import tls from 'node:tls';
import { watchFailure } from '../support/client.mjs';

const timer = setTimeout(() => {
  console.log(JSON.stringify({ timeout: true }));
  process.exit(1);
}, 15_000);
const answer = await watchFailure(tls.connect(JSON.parse(process.argv[2])));
clearTimeout(timer);
console.log(JSON.stringify(answer));
