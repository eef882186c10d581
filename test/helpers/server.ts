import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import knexFactory from 'knex';
import pino from 'pino';
import supertest from 'supertest';
import { buildConfig, type Config } from '../../src/config/config';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/server';
import { withDefaultUser } from '../../src/store/db';
import { OpenApiContract, recorder, type RecordedResponse } from './openapi-contract';

export const TAXII = 'application/taxii+json;version=2.1';

/** Collection ids used by the test configuration. */
export const IDS = {
  public: '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a01',
  private: '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a02',
  writable: '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a03',
};

export const ADMIN = { user: 'admin', password: 'admin-password-123' };

export function testConfigDoc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server: { title: 'Test TAXII server', default_api_root: 'api1', default_limit: 100, max_limit: 1000, ...((overrides.server as object) ?? {}) },
    api_roots: (overrides.api_roots as unknown[]) ?? [
      {
        path: 'api1',
        title: 'API root one',
        description: 'for tests',
        max_content_length: 1048576,
        collections: [
          { id: IDS.public, alias: 'public-feed', title: 'Public feed', description: 'readable by anyone', public: true, default_tlp: 'clear' },
          { id: IDS.private, alias: 'private-feed', title: 'Private feed' },
          { id: IDS.writable, alias: 'inbox', title: 'Inbox', allow_custom: true },
        ],
      },
      { path: 'empty', title: 'An API root without collections', max_content_length: 4096, collections: [] },
    ],
    seed: { enabled: false },
  };
}

/**
 * The database for one test file: a fresh SQLite file, or, when TEST_DATABASE_URL names a PostgreSQL
 * server, a fresh database created on it (and dropped afterwards).
 */
export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (base && /^postgres/.test(base)) {
    const name = `taxii_t_${process.pid}_${randomUUID().slice(0, 8)}`;
    const connection = withDefaultUser(base);
    const admin = knexFactory({ client: 'pg', connection, pool: { min: 0, max: 1 } });
    try {
      await admin.raw(`create database ${name}`);
    } finally {
      await admin.destroy();
    }
    const u = new URL(connection);
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      drop: async () => {
        const a = knexFactory({ client: 'pg', connection, pool: { min: 0, max: 1 } });
        try {
          await a.raw(`drop database if exists ${name} with (force)`);
        } finally {
          await a.destroy();
        }
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-test-'));
  return { url: path.join(dir, 'taxii.sqlite3'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TestServer {
  rt: Runtime;
  config: Config;
  /** supertest bound to the app (no network). */
  request: () => supertest.Agent;
  /** Base URL of a real listening HTTP server on 127.0.0.1 (for clients that need a socket). */
  url: string;
  databaseUrl: string;
  /** Every response served so far (checked against openapi.yaml on close). */
  recorded: RecordedResponse[];
  close(): Promise<void>;
}

export async function startTestServer(
  opts: { doc?: Record<string, unknown>; env?: Record<string, string>; runtime?: RuntimeOptions; databaseUrl?: string } = {},
): Promise<TestServer> {
  const db = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => undefined } : await freshDatabaseUrl();
  const config = buildConfig(opts.doc ?? testConfigDoc(), {
    DATABASE_URL: db.url,
    TAXII_ADMIN_USER: ADMIN.user,
    TAXII_ADMIN_PASSWORD: ADMIN.password,
    ...opts.env,
  });
  const rt = await createRuntime(config, { log: pino({ level: 'silent' }), ...opts.runtime });
  // As `serve` does: queued (asynchronous) POSTs are stored by this process's worker.
  rt.ingest.worker.start();
  // Every response any test receives is recorded and held to openapi.yaml when the server closes.
  const recorded: RecordedResponse[] = [];
  const app = express();
  app.use(recorder(recorded));
  app.use(rt.app);
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    rt,
    config,
    request: () => supertest.agent(app),
    recorded,
    url: `http://127.0.0.1:${port}`,
    databaseUrl: db.url,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await rt.close();
      await db.drop();
      const contract = new OpenApiContract();
      const problems = recorded.flatMap((r) => contract.violations(r));
      if (problems.length) throw new Error(`responses that break openapi.yaml:\n  ${[...new Set(problems)].slice(0, 20).join('\n  ')}`);
    },
  };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export const ADMIN_AUTH = basic(ADMIN.user, ADMIN.password);

/** A small valid indicator; `n` makes it unique. */
export function indicator(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const hex = n.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${hex}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: `test indicator ${n}`,
    pattern: `[ipv4-addr:value = '10.0.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: '2024-01-01T00:00:00Z',
    indicator_types: ['malicious-activity'],
    ...extra,
  };
}

export function envelope(objects: unknown[]): string {
  return JSON.stringify({ objects });
}
