import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * True when this module is the script node was started with (so a bench file runs alone or from run-all).
 * @example
 * if (isMain(import.meta.url)) await main(process.argv.slice(2));
 */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/**
 * Runs a benchmark's `main` when its file is the script node was started with: prints its markdown on stdout, and on
 * failure the error on stderr with exit code 1.
 * @example
 * runIfMain(import.meta.url, main);
 */
export function runIfMain(moduleUrl: string, main: (argv: readonly string[]) => Promise<string>): void {
  if (!isMain(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (md) => console.log(md),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
