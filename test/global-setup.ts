import { execFileSync } from 'node:child_process';

/** Tests that run the built local host as a child process need functions/dist; building it takes a second. */
export default function setup(): void {
  execFileSync(process.execPath, ['functions/build.mjs'], { stdio: 'inherit' });
}
