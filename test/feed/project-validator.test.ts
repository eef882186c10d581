import { createStixValidator } from '../../src/stix/validator';
import { allSeedObjects, collectionObjects, needsCustom, walletExtensionId } from './helpers';

const walletExtension = walletExtensionId(collectionObjects('dprk-crypto-context'));
const cases = allSeedObjects().map(({ alias, object }) => [alias, object.id, object] as const);

describe('Seed objects against the project STIX validator', () => {
  const validator = createStixValidator();

  it.each(cases)('When %s object %s is validated, Then the validator reports no errors', (_alias, _id, o) => {
    // Custom content is allowed only where the feed's wallet SCO type is involved (see needsCustom).
    const result = validator.validate(o, { allowCustom: needsCustom(o, walletExtension) });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
