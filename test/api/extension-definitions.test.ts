/**
 * POST objects uses the extension-definitions sent with the objects and those already stored in the
 * collection (STIX 2.1 §7.3), through the same code path as `validate --collection` (batchExtensions).
 */
import { ADMIN_AUTH, envelope, IDS, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const EXT_ID = 'extension-definition--0f868f84-e27e-4b95-a96a-5f3a8a2ffcbf';
const definition = {
  type: 'extension-definition', spec_version: '2.1', id: EXT_ID, created_by_ref: 'identity--cbcf493e-81a7-485c-9d8e-ca57de01f4d7',
  created: '2026-11-24T00:00:00.000Z', modified: '2026-11-24T00:00:00.000Z', name: 'cryptocurrency-wallet',
  description: 'A new SCO for wallet addresses.', schema: 'Plain-text definition: value (string, required), currency (string, optional).',
  version: '1.0.0', extension_types: ['new-sco'],
};
const wallet = (value: string, extra: Record<string, unknown> = {}) => ({
  type: 'cryptocurrency-wallet', spec_version: '2.1', id: `cryptocurrency-wallet--93e8b734-4110-5e7f-b9f1-acbd607cec${value.length.toString(16).padStart(2, '0')}`,
  value, currency: 'monero', extensions: { [EXT_ID]: { extension_type: 'new-sco' } }, ...extra,
});

async function post(objects: unknown[]) {
  const r = await s.request().post(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).set('Content-Type', TAXII).send(envelope(objects));
  expect(r.status).toBe(202);
  return r.body as { success_count: number; failure_count: number; failures: Array<{ id: string; message: string }>; successes: Array<{ message: string }> };
}

describe('POST objects and extension-definitions in a collection without custom content', () => {
  test('When an object of an extension-defined type comes without its definition and none is stored, Then it is refused as custom content', async () => {
    const status = await post([wallet('addr-one')]);
    expect(status.failures).toEqual([expect.objectContaining({ message: expect.stringContaining('custom.type-not-allowed') })]);
  });

  test('When the definition is sent in the same envelope, Then both are stored', async () => {
    const status = await post([definition, wallet('addr-two')]);
    expect(status).toMatchObject({ success_count: 2, failure_count: 0 });
  });

  test('When the definition is already stored, Then a later POST of the new type alone is accepted, as validate --collection would', async () => {
    const status = await post([wallet('addr-three')]);
    expect(status).toMatchObject({ success_count: 1, failure_count: 0 });
    expect(status.successes[0]!.message).not.toContain('warning');
  });

  test('When the content breaks the schema the server knows for that definition, Then it is refused with extension.schema', async () => {
    const status = await post([wallet('addr-four', { currency: 7 })]);
    expect(status.failures).toEqual([expect.objectContaining({ message: expect.stringContaining('[extension.schema]') })]);
  });
});
