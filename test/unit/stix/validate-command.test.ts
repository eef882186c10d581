import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerValidateCommand, runValidate, type ValidateCommandIo } from '../../../src/stix/validate-command';

const FIXTURES = path.resolve(__dirname, '../../fixtures/stix');

function io(stdin = ''): ValidateCommandIo & { out: string; err: string } {
  const r = { out: '', err: '', stdout: (t: string) => { r.out += t; }, stderr: (t: string) => { r.err += t; }, readStdin: async () => stdin };
  return r;
}

describe('validate command', () => {
  test('When a valid bundle file is validated, Then it exits 0 and says valid', async () => {
    const o = io();
    expect(await runValidate(path.join(FIXTURES, 'valid', 'markings.json'), {}, o)).toBe(0);
    expect(o.out).toMatch(/bundle with 9 objects: valid, 0 warnings/);
  });

  test('When custom content is validated without --allow-custom, Then it exits 1, and with it exits 0', async () => {
    const file = path.join(FIXTURES, 'valid', 'custom-content.custom.json');
    expect(await runValidate(file, {}, io())).toBe(1);
    expect(await runValidate(file, { allowCustom: true }, io())).toBe(0);
  });

  test('When stdin holds an envelope with an invalid object and --json is set, Then the JSON report lists the finding and exits 1', async () => {
    const o = io(JSON.stringify({ objects: [{ type: 'mac-addr', id: 'mac-addr--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', value: 'AA-BB' }] }));
    expect(await runValidate('-', { json: true }, o)).toBe(1);
    const report = JSON.parse(o.out);
    expect(report).toMatchObject({ kind: 'envelope', valid: false, summary: { objects: 1, invalid: 1 } });
    expect(report.objects[0].errors[0]).toMatchObject({ pointer: '/value', rule: 'schema.pattern' });
  });

  test('When the file is missing, Then it exits 2 (I/O), and when it is not JSON, 1 (invalid content), each with a readable message', async () => {
    const missing = io();
    expect(await runValidate(path.join(os.tmpdir(), 'does-not-exist-stix.json'), {}, missing)).toBe(2);
    expect(missing.err).toMatch(/cannot read .*no such file/);
    const notJson = io('{"objects": [');
    expect(await runValidate('-', {}, notJson)).toBe(1);
    expect(notJson.err).toMatch(/standard input is not valid JSON/);
  });

  test('When a file has more than 10,000 objects, Then progress lines go to stderr', async () => {
    const file = path.join(os.tmpdir(), `stix-progress-${process.pid}.json`);
    const ip = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' };
    fs.writeFileSync(file, JSON.stringify({ objects: Array.from({ length: 20_001 }, () => ip) }));
    try {
      const o = io();
      expect(await runValidate(file, {}, o)).toBe(0);
      expect(o.err.split('\n').filter((l) => l.startsWith('validated'))).toEqual([
        'validated 10,000 of 20,001 objects', 'validated 20,000 of 20,001 objects', 'validated 20,001 of 20,001 objects',
      ]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('When the command is registered, Then its help documents the argument, the options and the exit codes', () => {
    const program = new Command('dprk-taxii');
    registerValidateCommand(program);
    const help = program.commands.find((c) => c.name() === 'validate')!;
    let text = '';
    help.configureOutput({ writeOut: (s) => { text += s; } });
    help.outputHelp();
    expect(text).toMatch(/--json/);
    expect(text).toMatch(/--allow-custom/);
    expect(text).toMatch(/Exit status:[\s\S]*2 {2}usage or I\/O: the input could not be read/);
  });
});
