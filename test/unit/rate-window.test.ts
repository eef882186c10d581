/** The request-budget windows behind the rate limits (src/http/middleware/rate-limit.ts). */
import { WindowCounter } from '../../src/http/middleware/rate-limit';

test('When a key spends its budget, Then the next request is over, and a new window starts after the old one ends', () => {
  const c = new WindowCounter(1000, 2);
  expect(c.hit('a', 0)).toEqual({ remaining: 1, resetAt: 1000, over: false });
  expect(c.hit('a', 10)).toEqual({ remaining: 0, resetAt: 1000, over: false });
  expect(c.hit('a', 20).over).toBe(true);
  expect(c.hit('b', 20).over).toBe(false);
  expect(c.hit('a', 1000)).toEqual({ remaining: 1, resetAt: 2000, over: false });
});

test('When many keys come and go, Then expired windows are dropped and the map stays bounded', () => {
  const start = Date.now();
  const c = new WindowCounter(1000, 5);
  for (let i = 0; i < 500; i++) c.hit(`k${i}`, start);
  expect(c.size).toBe(500);
  c.hit('late', start + 5000);
  expect(c.size).toBe(1);
});
