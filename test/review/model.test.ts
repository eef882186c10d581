/** The review rules that need no database, the review configuration and the curator right. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { buildConfig } from '../../src/config/config';
import { diffObjects, referencedIds } from '../../src/review/model';
import { ANONYMOUS } from '../../src/taxii/access';
import { GrantPolicy } from '../../src/taxii/grant-policy';
import { testConfigDoc } from '../helpers/server';
import { reviewConfigDoc } from './fixtures';

test('When an object refers to others at any depth, Then every *_ref and *_refs id is found, except the predefined TLP markings', () => {
  const value = {
    type: 'email-message',
    created_by_ref: 'identity--1',
    object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'marking-definition--custom'],
    to_refs: ['email-addr--a', 'email-addr--b'],
    body_multipart: [{ body_raw_ref: 'artifact--x' }],
    extensions: { 'archive-ext': { contains_refs: ['file--f'] } },
    granular_markings: [{ marking_ref: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', selectors: ['name'] }],
    name_ref_like: 7,
  };
  expect(referencedIds(value).sort()).toEqual(['artifact--x', 'email-addr--a', 'email-addr--b', 'file--f', 'identity--1', 'marking-definition--custom']);
});

test('When a submitted version differs from the published one, Then the diff lists each changed property once per side', () => {
  expect(diffObjects({ a: 1, b: 'x', c: [1] }, { a: 1, b: 'y', d: true })).toEqual(['- b: "x"', '+ b: "y"', '- c: [1]', '+ d: true']);
});

describe('review configuration', () => {
  const bad = (review: Record<string, unknown>) => () => buildConfig({ ...testConfigDoc(), review });

  test('When the inbox publishes into collections of its API root, Then the names resolve to ids and four_eyes is read', () => {
    const c = buildConfig(reviewConfigDoc());
    expect(c.review.fourEyes).toBe(true);
    expect(c.review.inboxes).toEqual([
      { apiRoot: 'api1', inboxId: '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a03', targets: [{ collectionId: '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a01', types: ['indicator'] }, { collectionId: '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a02', types: undefined }] },
    ]);
    expect(buildConfig(testConfigDoc()).review).toEqual({ fourEyes: false, inboxes: [] });
  });

  test('When the review section names what does not exist or contradicts itself, Then the start stops with a message that names it', () => {
    expect(bad({ inboxes: [{ inbox: 'nope', publishes_into: [{ collection: 'public-feed' }] }] })).toThrow(/inbox "nope" is not a configured collection/);
    expect(bad({ inboxes: [{ inbox: 'inbox', publishes_into: [{ collection: 'elsewhere' }] }] })).toThrow(/publishes into "elsewhere"/);
    expect(bad({ inboxes: [{ inbox: 'inbox', publishes_into: [{ collection: 'inbox' }] }] })).toThrow(/cannot publish into itself/);
    expect(
      bad({ inboxes: [{ inbox: 'inbox', publishes_into: [{ collection: 'public-feed', types: ['indicator'] }, { collection: 'private-feed', types: ['indicator'] }] }] }),
    ).toThrow(/type "indicator" .* routed to both/);
    expect(bad({ inboxes: [{ inbox: 'inbox', publishes_into: [] }] })).toThrow(/publishes_into/);
    expect(bad({ fours_eyes: true })).toThrow(/unknown key "fours_eyes"/);
  });

  test('When the default configuration is loaded, Then curator-inbox publishes into the two feed collections under the four-eyes rule', () => {
    const c = buildConfig(YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'default.yaml'), 'utf8')));
    expect(c.review.fourEyes).toBe(true);
    expect(c.review.inboxes).toHaveLength(1);
    expect(c.review.inboxes[0]!.targets.map((t) => t.collectionId)).toEqual(['9e1c64aa-cd63-4638-a602-0851a3e96433', 'da5454b4-504e-42fd-96c8-a62c66ab6867']);
  });
});

describe('the curator right', () => {
  const coll = (id: string, pub = false) => ({ id, title: id, public: pub, allowCustom: false });
  const user = (id: string, isAdmin = false) => ({ id, name: id, kind: 'user' as const, isAdmin, maxTlp: 'amber' as const });
  const policy = new GrantPolicy({
    grantsOf: async (p: string) =>
      new Map(p === 'user:c' ? [['a', { principalId: p, collectionId: 'a', read: false, write: false, curate: true }]] : p === 'user:w' ? [['a', { principalId: p, collectionId: 'a', read: true, write: true }]] : []),
  });

  test('When a principal holds only the curator grant, Then it may curate the collection but does not see it', async () => {
    expect(await policy.curate(user('user:c'), coll('a'))).toBe(true);
    expect(await policy.rights(user('user:c'), coll('a'))).toEqual({ visible: false, read: false, write: false });
  });

  test('When a writer has no curator grant, Then it may not curate; administrators may; anonymous never, even on a public collection', async () => {
    expect(await policy.curate(user('user:w'), coll('a'))).toBe(false);
    expect(await policy.curate(user('user:x', true), coll('a'))).toBe(true);
    expect(await policy.curate(ANONYMOUS, coll('p', true))).toBe(false);
  });
});
