/** `npm start` and the benchmark start the server with the same environment (bench/start-env.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { START_ENV } from '../../bench/start-env';

test('The start script sets exactly the environment the benchmark measures the server with', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
  const launch = /&&\s*((?:[A-Z_]+=\S+\s+)*)node\s+dist\/src\/cli\.js\s+serve\s*$/.exec(pkg.scripts.start!);
  expect(launch).not.toBeNull();
  const env = Object.fromEntries(launch![1]!.trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  expect(env).toEqual(START_ENV);
});
