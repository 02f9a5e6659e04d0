// Checks that the AWS stand-in answers parse in both servers: calls each benchmarked tool through
// our server and the SDK peer (both pointed at the stand-in, with sessions) and compares our
// output with expected/<tool>.txt (our output against the fake AWS at capture time, times
// masked). Exits 1 on any difference or error. Bench-only; run by bench/run.sh.
//
//   node verify.mjs OUR_MCP_URL SDK_MCP_URL
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callTool, maskTimes } from './mcp_call.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [ours, sdk] = process.argv.slice(2);
let failed = 0;
for (const tool of ['list_monitored_services', 'list_slis']) {
  const expected = readFileSync(join(here, 'expected', `${tool}.txt`), 'utf8');
  try {
    const got = maskTimes((await callTool(ours, tool, { session: true })).output) + '\n';
    if (got !== expected) {
      failed++;
      console.error(`stand-in: ours ${tool} differs from its output against the fake AWS:\n${got}\n--- expected ---\n${expected}`);
    }
  } catch (e) {
    failed++;
    console.error(`stand-in: ours ${tool}: ${e.message}`);
  }
  try {
    await callTool(sdk, tool, { session: true });
  } catch (e) {
    failed++;
    console.error(`stand-in: SDK peer ${tool}: ${e.message}`);
  }
}
if (failed) process.exit(1);
console.log('stand-in: our tool outputs equal those against the fake AWS; the SDK peer parses every answer');
