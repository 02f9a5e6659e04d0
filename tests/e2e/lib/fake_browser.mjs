#!/usr/bin/env node
// The "browser" mcp-remote opens (through `open` → xdg-open → $BROWSER): follows the
// authorization redirects with a cookie jar (lib/oidc_as.mjs signs the user in and consents
// without a form) and finally requests mcp-remote's own callback URL with the code.
import { browse } from './oidc_as.mjs';

const url = process.argv[2];
try {
  const back = await browse(url, 'http://localhost:');
  const res = await fetch(back);
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  console.error(`fake browser: ${err.message}`);
  process.exit(1);
}
