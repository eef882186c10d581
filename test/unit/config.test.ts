import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildConfig, ConfigError, loadConfig } from '../../src/config/config';
import { testConfigDoc } from '../helpers/server';

describe('configuration', () => {
  test('When the shipped default configuration is loaded, Then it is valid and has the feed collections', () => {
    const c = loadConfig({});
    expect(c.apiRoots[0]!.collections.map((x) => x.alias)).toEqual(['dprk-crypto-indicators', 'dprk-crypto-blocklist', 'dprk-crypto-context', 'curator-inbox']);
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 8000 });
  });

  test('When a key is unknown, Then the start stops with a message naming it', () => {
    const doc = testConfigDoc();
    (doc.server as Record<string, unknown>).colour = 'blue';
    expect(() => buildConfig(doc)).toThrow(/unknown key "colour"/);
  });

  test.each([
    [{ server: { default_limit: 0 } }, '/server/default_limit'],
    [{ server: { empty_envelope: 'sometimes' } }, '/server/empty_envelope'],
    [{ api_roots: [{ path: 'a.b', title: 't', max_content_length: 4096 }] }, '/api_roots/0/path'],
    [{ api_roots: [{ path: 'a', title: 't', max_content_length: 4096, collections: [{ id: 'NOT-A-UUID', title: 'x' }] }] }, '/api_roots/0/collections/0/id'],
    [{ api_roots: [{ path: 'a', title: 't', max_content_length: 4096, collections: [{ id: '0d7e2a4c-1b2c-4d5e-8f90-123456789abc', title: 'a.b' }] }] }, '/api_roots/0/collections/0/title'],
  ])('When a value is bad (%j), Then the message names %s', (over, where) => {
    expect(() => buildConfig(testConfigDoc(over as Record<string, unknown>))).toThrow(where);
  });

  test('When the audit retention is not set, Then it is 365 days; the file sets it, and a value that is not above 0 is refused by name', () => {
    expect(buildConfig(testConfigDoc()).audit).toEqual({ retentionDays: 365 });
    expect(buildConfig({ ...testConfigDoc(), audit: { retention_days: 30 } }).audit).toEqual({ retentionDays: 30 });
    expect(() => buildConfig({ ...testConfigDoc(), audit: { retention_days: 0 } })).toThrow('/audit/retention_days');
    expect(() => buildConfig({ ...testConfigDoc(), audit: { keep: true } })).toThrow(/unknown key "keep"/);
  });

  test('When two collections share an alias, Then the configuration is refused', () => {
    const doc = testConfigDoc({
      api_roots: [{ path: 'a', title: 't', max_content_length: 4096, collections: [
        { id: '0d7e2a4c-1b2c-4d5e-8f90-123456789abc', alias: 'x', title: 'one' },
        { id: '0d7e2a4c-1b2c-4d5e-8f90-123456789abd', alias: 'x', title: 'two' },
      ] }],
    });
    expect(() => buildConfig(doc)).toThrow(/duplicate collections\[\]\.alias/);
  });

  test('When environment variables are set, Then they override the file, and bad ones are refused by name', () => {
    const c = buildConfig(testConfigDoc(), { PORT: '9001', HOST: '0.0.0.0', DATABASE_URL: 'postgres://db/x', TAXII_MAX_LIMIT: '500' });
    expect(c.listen).toEqual({ host: '0.0.0.0', port: 9001 });
    expect(c.database.url).toBe('postgres://db/x');
    expect(c.server.maxLimit).toBe(500);
    expect(() => buildConfig(testConfigDoc(), { PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => buildConfig(testConfigDoc(), { TAXII_ADMIN_USER: 'a' })).toThrow(/TAXII_ADMIN_PASSWORD/);
    expect(() => buildConfig(testConfigDoc(), { TAXII_SEED: 'maybe' })).toThrow(/TAXII_SEED/);
  });

  test('When the heap growth is not set, Then it is 50 %; the file and TAXII_HEAP_GROWING_PERCENT set it, 0 leaves V8 its own, and bad values are refused', () => {
    expect(buildConfig(testConfigDoc()).server.heapGrowingPercent).toBe(50);
    expect(buildConfig(testConfigDoc({ server: { heap_growing_percent: 100 } })).server.heapGrowingPercent).toBe(100);
    expect(buildConfig(testConfigDoc({ server: { heap_growing_percent: 100 } }), { TAXII_HEAP_GROWING_PERCENT: '0' }).server.heapGrowingPercent).toBe(0);
    expect(() => buildConfig(testConfigDoc({ server: { heap_growing_percent: 301 } }))).toThrow('/server/heap_growing_percent');
    expect(() => buildConfig(testConfigDoc(), { TAXII_HEAP_GROWING_PERCENT: '400' })).toThrow(/TAXII_HEAP_GROWING_PERCENT must be at most 300/);
    expect(() => buildConfig(testConfigDoc(), { TAXII_HEAP_GROWING_PERCENT: 'half' })).toThrow(/TAXII_HEAP_GROWING_PERCENT/);
  });

  test('When TAXII_CONFIG names a JSON file with a syntax error, Then the error names the file', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'bad.json');
    fs.writeFileSync(f, '{"api_roots": [');
    expect(() => loadConfig({ TAXII_CONFIG: f })).toThrow(ConfigError);
    expect(() => loadConfig({ TAXII_CONFIG: f })).toThrow(/bad\.json is not valid JSON/);
  });
});
