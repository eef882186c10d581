import { compareTimestamps, isStixTimestamp, isStixTimestampMillis } from '../../../src/stix/timestamps';

describe('STIX timestamps', () => {
  test.each([
    '2024-01-31T12:00:00Z', '2024-02-29T00:00:00.000Z', '2000-02-29T23:59:59.999999Z', '2016-12-31T23:59:60Z', '1970-01-01T00:00:00.1Z',
  ])('When %s is checked, Then it is a valid timestamp', (t) => expect(isStixTimestamp(t)).toBe(true));

  test.each([
    '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T12:00:60Z',
    '2024-01-01T00:00:00', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00z', '2024-01-01 00:00:00Z', '2024-01-01T00:00:00.Z', '24-01-01T00:00:00Z', '',
  ])('When %s is checked, Then it is rejected', (t) => expect(isStixTimestamp(t)).toBe(false));

  test('When created lacks milliseconds, Then the millisecond check rejects it', () => {
    expect(isStixTimestampMillis('2024-01-01T00:00:00Z')).toBe(false);
    expect(isStixTimestampMillis('2024-01-01T00:00:00.12Z')).toBe(false);
    expect(isStixTimestampMillis('2024-01-01T00:00:00.123Z')).toBe(true);
  });

  test('When timestamps differ only in precision, Then they compare as the same instant', () => {
    expect(compareTimestamps('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z')).toBe(0);
    expect(compareTimestamps('2024-01-01T00:00:00.001Z', '2024-01-01T00:00:00Z')).toBe(1);
    expect(compareTimestamps('2024-01-01T00:00:00.01Z', '2024-01-01T00:00:00.009Z')).toBe(1);
    expect(compareTimestamps('2023-12-31T23:59:59.999Z', '2024-01-01T00:00:00Z')).toBe(-1);
  });
});
