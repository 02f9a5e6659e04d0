// Starts one of the project's binaries on a loopback port chosen by the OS and reads the
// port back from its start-up output. Every server started here is stopped by stop().
import { spawn } from 'node:child_process';
import path from 'node:path';

export const binDir = process.env.APPSIGNALS_BIN_DIR ?? path.resolve(import.meta.dirname, '../../../build/bin');

// Resolves with { url, port, proc, output(), stop() } once the server prints its listen URL.
export function startServer(binary, args = [], { env = {}, timeoutMs = 15000 } = {}) {
  const proc = spawn(path.join(binDir, binary), args, {
    // Loopback only: never the instance metadata service or the machine's AWS profile.
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
           ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${binary} did not report a listen address in time:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/listening on (https?):\/\/(?:127\.0\.0\.1|\[::1\]|localhost):(\d+)/);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[2]);
        resolve({
          port,
          url: `${m[1]}://127.0.0.1:${port}`,
          proc,
          output: () => output,
          stop: (signal = 'SIGTERM') =>
            new Promise((res) => {
              if (proc.exitCode !== null) return res(proc.exitCode);
              proc.once('exit', (code) => res(code));
              proc.kill(signal);
            }),
        });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${binary} exited with ${code} before listening:\n${output}`));
    });
  });
}
