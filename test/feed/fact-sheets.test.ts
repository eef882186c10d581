/** The feed against the fact sheets it is built from: every indicator value is one the sheets print. */
import { parsePattern } from '../../src/stix/pattern/parser';
import { collectionObjects, factSheetText, type StixObject } from './helpers';

const indicatorCollection = collectionObjects('dprk-crypto-indicators');
const contextCollection = collectionObjects('dprk-crypto-context');
const indicators = indicatorCollection.filter((o) => o.type === 'indicator');
const byId = new Map([...contextCollection, ...indicatorCollection].map((o) => [o.id, o]));
const sheets = factSheetText();

/** The literal of a one-comparison pattern, as the parser reads it (escapes resolved). */
function patternValue(ind: StixObject): string {
  const ast = parsePattern(String(ind.pattern));
  if (ast.kind !== 'observation' || ast.comparison.kind !== 'comparison' || Array.isArray(ast.comparison.value)) {
    throw new Error(`${ind.id}: not a one-comparison pattern`);
  }
  const literal = ast.comparison.value;
  if (literal.kind !== 'string') throw new Error(`${ind.id}: not a string comparison`);
  return literal.value;
}

const sourceLevels = (o: StixObject): string[] =>
  ((o.external_references as Array<Record<string, unknown>> | undefined) ?? [])
    .map((r) => /^\[([VSU])\]/.exec(String(r.description ?? ''))?.[1])
    .filter((l): l is string => l !== undefined);

const itIfSheets = sheets === undefined ? it.skip : it;

describe('Indicator values and the fact sheets', () => {
  itIfSheets('When every indicator value is looked up in the fact sheets, Then each appears there verbatim (or refanged as the sheets say)', () => {
    const missing = indicators.map((i) => [i.id, patternValue(i)] as const).filter(([, value]) => !sheets!.includes(value));
    expect(indicators.length).toBeGreaterThanOrEqual(200);
    expect(missing).toEqual([]);
  });

  it('When values the sheets mark unusable or as victims\' are searched for, Then no indicator pattern contains them', () => {
    const excluded = [
      '3AAUBbKJorvNheUFhKnep9YTwmZECxE4Nk', // reprint typo, fails Base58Check
      'bc1qe4n22sduyylws74aewc6y6g32nglvg', // truncated in the reprint
      '212.30.33', '163.5.241', '194.5.53', // masked in the source
      '174.128.251.99', // [U]: origin unknown
      '56a666601e66a01cc8dcb53a470d9ea092633c76197cd13919c7749e51ebccbc', // [S/U]: role unknown
      '0x1Db92e2EeBC8E0c075a02BeA49a2935BcD2dFCF4', // Bybit's own cold wallet (victim)
      '0x111CEEee040739fD91D29C34C33E6B3E112F2177', // Radiant's Safe (victim)
      '0x3d655889D197125fb90dcB72e4a287A8410ED1B9', // HECO Bridge operator (victim-controlled key)
      "vercel.app'", // never the shared parent domain
    ];
    const hits = indicators.flatMap((i) => excluded.filter((v) => String(i.pattern).includes(v)).map((v) => `${i.id}: ${v}`));
    expect(hits).toEqual([]);
  });

  it('When an indicator points only at a third-party facilitator, Then it is anomalous-activity, never malicious-activity, and says why', () => {
    const facilitators = new Set(contextCollection.filter((o) => o.type === 'threat-actor' && (o.threat_actor_types as string[]).includes('criminal')).map((o) => o.id));
    expect(facilitators.size).toBeGreaterThan(0);
    const targets = (ind: StixObject) =>
      indicatorCollection.filter((r) => r.type === 'relationship' && r.relationship_type === 'indicates' && r.source_ref === ind.id).map((r) => String(r.target_ref));
    const facilitatorIndicators = indicators.filter((i) => targets(i).every((t) => facilitators.has(t)));
    expect(facilitatorIndicators.length).toBe(148);
    for (const i of facilitatorIndicators) {
      expect(i.indicator_types).toEqual(['anomalous-activity']);
      expect(String(i.description)).toMatch(/third-party facilitator, not to the DPRK actors/);
    }
  });

  it('When an indicator rests on secondary sources only, Then its confidence is at most 80 and its description or sources say [S]', () => {
    const secondary = indicators.filter((i) => {
      const levels = sourceLevels(i);
      return levels.length > 0 && levels.every((l) => l === 'S');
    });
    expect(secondary.length).toBeGreaterThan(0);
    for (const i of secondary) {
      expect(Number(i.confidence)).toBeLessThanOrEqual(80);
      expect(String(i.description)).toContain('[S]');
    }
  });

  it('When an indicator names a wallet, Then its observable keeps the exact case of the pattern and uses the feed\'s cryptocurrency-wallet type', () => {
    const wallets = indicators.filter((i) => String(i.pattern).startsWith('[cryptocurrency-wallet:value = '));
    expect(wallets.length).toBeGreaterThanOrEqual(200);
    expect(wallets.some((i) => /[A-F]/.test(patternValue(i)) && /[a-f]/.test(patternValue(i)))).toBe(true);
    for (const i of wallets) {
      const basedOn = indicatorCollection.find((r) => r.type === 'relationship' && r.relationship_type === 'based-on' && r.source_ref === i.id)!;
      const sco = byId.get(String(basedOn.target_ref))!;
      expect(sco.type).toBe('cryptocurrency-wallet');
      expect(sco.value).toBe(patternValue(i));
    }
  });

  it('When every indicator is checked, Then it has valid_from, a source URL and an indicates relationship to a campaign, malware or actor', () => {
    for (const i of indicators) {
      expect(String(i.valid_from)).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
      const refs = (i.external_references as Array<Record<string, unknown>> | undefined) ?? [];
      expect(refs.some((r) => /^https?:\/\//.test(String(r.url)))).toBe(true);
      expect(sourceLevels(i).length).toBeGreaterThan(0);
      const indicates = indicatorCollection.filter((r) => r.type === 'relationship' && r.relationship_type === 'indicates' && r.source_ref === i.id);
      expect(indicates.length).toBeGreaterThan(0);
    }
  });
});
