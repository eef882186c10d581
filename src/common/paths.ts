import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The package root (the folder holding package.json), whether running from src/ or from dist/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'schemas'))) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package root above ${__dirname}`);
    dir = parent;
  }
}

export function fromRoot(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
