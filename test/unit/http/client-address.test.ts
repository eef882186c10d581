/** clientAddress (src/http/client-address.ts): express's req.ip, read once per request. */
import express from 'express';
import supertest from 'supertest';
import { clientAddress } from '../../../src/http/client-address';

describe('client address', () => {
  test('When it is asked twice, Then it answers req.ip and express works it out once', async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    let reads = 0;
    app.use((req, res) => {
      let proto = Object.getPrototypeOf(req);
      while (!Object.getOwnPropertyDescriptor(proto, 'ip')) proto = Object.getPrototypeOf(proto);
      const ip = Object.getOwnPropertyDescriptor(proto, 'ip')!.get!;
      Object.defineProperty(req, 'ip', { get: () => (reads++, ip.call(req)) });
      res.end(`${clientAddress(req)} ${clientAddress(req)}`);
    });
    const r = await supertest(app).get('/').set('X-Forwarded-For', '203.0.113.9');
    expect(r.text).toBe('203.0.113.9 203.0.113.9');
    expect(reads).toBe(1);
  });
});
