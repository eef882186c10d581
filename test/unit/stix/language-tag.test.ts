import { isLanguageTag } from '../../../src/stix/language-tag';

describe('RFC 5646 language tags', () => {
  test.each([
    'en', 'EN', 'de-CH', 'zh-Hans', 'zh-Hans-CN', 'sr-Latn-RS', 'es-419', 'de-CH-1996', 'sl-rozaj-biske', 'en-US-x-twain',
    'zh-yue-HK', 'zh-min-nan', 'ar-afb-arz-apc', 'x-whatever', 'qaa-Qaaa-QM-x-southern', 'en-a-bbb-x-a-ccc', 'de-Latn-DE-1996-u-co-phonebk',
    'i-klingon', 'I-Default', 'en-GB-oed', 'sgn-BE-FR', 'art-lojban', 'cel-gaulish', 'tlh', 'abcde', 'abcdefgh',
  ])('When %j is checked, Then it is a well-formed tag', (tag) => {
    expect(isLanguageTag(tag)).toBe(true);
  });

  test.each([
    '', '-', 'en-', '-en', 'en--US', 'e', 'abcdefghi', 'english_US', 'en US', 'en-US-', 'de-419-DE', 'a-DE', 'ar-a-aaa-b-bbb-a',
    'en-a', 'en-x', 'x', 'en-a-b', 'en-Latn-Latn', 'zh-yue-yue-yue-yue', 'en-US-US', '12', 'en-1', 'en-abcdefghi', 'ench-ü', 'i-klingonx',
  ])('When %j is checked, Then it is not a well-formed tag', (tag) => {
    expect(isLanguageTag(tag)).toBe(false);
  });

  test('When a tag of a million subtags arrives, Then the check answers (one pass, no backtracking)', () => {
    expect(isLanguageTag('en' + '-abcde'.repeat(1_000_000))).toBe(true);
    expect(isLanguageTag('en' + '-abcde'.repeat(1_000_000) + '-')).toBe(false);
  });
});
