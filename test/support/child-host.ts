import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChildHost {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built host; COSELL_E2E_LOCAL_HOST points the tests at another build (e.g. while functions/ is mid-change). */
export const LOCAL_HOST =
  process.env.COSELL_E2E_LOCAL_HOST ?? path.join(ROOT, 'functions/dist/local-host.js');

/** Starts the built local host (`functions/dist/local-host.js`) as its own process on a free port. */
export async function startChildHost(env: Record<string, string> = {}, dataDir?: string): Promise<ChildHost> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-child-'));
  const child = spawn(process.execPath, [LOCAL_HOST], {
    cwd: ROOT,
    env: { ...process.env, COSELL_PORT: '0', COSELL_DATA_DIR: dir, COSELL_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 20 s:\n${output}`)), 20_000);
    const check = () => {
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir: dir,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
