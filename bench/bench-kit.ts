/** Shared bits of the bench scripts. */
import { pathToFileURL } from 'node:url';

/** Runs a bench and prints its markdown when the file is the script node was started with. */
export function runIfMain(metaUrl: string, run: () => Promise<{ markdown: string }>): void {
  if (!process.argv[1] || metaUrl !== pathToFileURL(process.argv[1]).href) return;
  run().then(
    (r) => console.log(r.markdown),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
