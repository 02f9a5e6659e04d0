// A real redis-server (Debian's) for the cluster tests, on a free loopback port, no persistence.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { withTimeout } from './harness.mjs';

export const REDIS = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Resolves with { proc, kill() } once the server accepts connections.
export async function startRedis(dir, port, timeoutMs = 15000) {
  if (!existsSync(REDIS)) throw new Error(`${REDIS} is missing: run \`make deps\` (Debian package redis-server)`);
  await mkdir(dir, { recursive: true });
  const proc = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const on = (c) => {
      output += c;
      if (/Ready to accept connections/.test(output)) resolve();
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
  });
  await withTimeout(ready, timeoutMs, 'redis-server start-up');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return { proc, kill: async () => { proc.kill('SIGKILL'); await exited; } };
}
