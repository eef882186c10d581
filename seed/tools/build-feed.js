#!/usr/bin/env node
/*
 * Builds the curated DPRK-crypto STIX 2.1 seed bundles from the facts in this file.
 *
 *   node seed/tools/build-feed.js           rewrite the bundles, seed/tools/published.json, and the generated parts of seed/README.md and README.md
 *   node seed/tools/build-feed.js --check   exit 1 if the committed files differ from what this script builds
 *   node seed/tools/build-feed.js --mint    give a fresh UUIDv4 to every new key and record it in ids.json
 *   node seed/tools/build-feed.js --out D   write the same files under directory D instead of the repository
 *
 * Plain Node, no dependencies. Output depends only on this file and ids.json: no clock, no randomness
 * (except under --mint, which only ever adds keys), so a rebuild reproduces the committed JSON byte for byte.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SEED_DIR = path.resolve(__dirname, '..');
if (require.main === module) {
  process.on('uncaughtException', (e) => {
    process.stderr.write(`build-feed: ${e.message}\n`);
    process.exit(1);
  });
}
const IDS_FILE = path.join(__dirname, 'ids.json');
const LEDGER_FILE = path.join(__dirname, 'published.json');
const MINT = process.argv.includes('--mint');
const CHECK = process.argv.includes('--check');
const OUT_AT = process.argv.indexOf('--out');
/** Where the outputs go: the repository itself, or (for tests) another directory with the same layout. */
const OUT_ROOT = OUT_AT > 0 ? path.resolve(process.argv[OUT_AT + 1]) : REPO_ROOT;

/** Authoring time of the first feed version: created/modified of the objects built from the 2017-2022 sheet. */
const AUTHORED = '2026-11-24T00:00:00.000Z';
/** Authoring time of the objects built from the 2022-2026 sheet. */
const AUTHORED_2026_12 = '2026-12-01T00:00:00.000Z';
/** created/modified given to the objects being authored (see where the 2022-2026 module is added). */
let authoring = AUTHORED;

// ---------------------------------------------------------------------------------------------
// Identifiers

const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** RFC 8785 (JCS) for the values used here: strings, finite numbers, booleans, arrays, objects. */
function canonicalize(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(',')}}`;
}

function uuidv5(name, namespace) {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = crypto.createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** STIX 2.1 §2.9 hash choice: only one hash contributes, the first present of MD5, SHA-1, SHA-256, SHA-512. */
function chooseOneHash(hashes) {
  for (const k of ['MD5', 'SHA-1', 'SHA-256', 'SHA-512']) if (k in hashes) return { [k]: hashes[k] };
  const first = Object.keys(hashes)[0];
  return { [first]: hashes[first] };
}

/** ID-contributing properties per SCO type (STIX 2.1 §6; cryptocurrency-wallet: see its extension-definition). */
const SCO_ID_PROPERTIES = {
  'ipv4-addr': ['value'],
  'domain-name': ['value'],
  url: ['value'],
  directory: ['path'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'email-addr': ['value'],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'cryptocurrency-wallet': ['value'],
};

function scoId(type, props) {
  const contributing = {};
  for (const k of SCO_ID_PROPERTIES[type]) {
    if (props[k] === undefined) continue;
    contributing[k] = k === 'hashes' ? chooseOneHash(props[k]) : props[k];
  }
  return `${type}--${uuidv5(canonicalize(contributing), SCO_NAMESPACE)}`;
}

const ids = fs.existsSync(IDS_FILE) ? JSON.parse(fs.readFileSync(IDS_FILE, 'utf8')) : {};
let minted = 0;

/** A fixed UUIDv4 for a readable key, recorded once in ids.json. */
function fixedId(type, key) {
  const k = `${type}:${key}`;
  if (!ids[k]) {
    if (!MINT) throw new Error(`no id recorded for ${k}; run with --mint once to assign one`);
    ids[k] = crypto.randomUUID();
    minted += 1;
  }
  return `${type}--${ids[k]}`;
}

// ---------------------------------------------------------------------------------------------
// Third-party standard objects, reproduced with their published content

const TLP_CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const TLP_WHITE = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';
const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const CISA_IDENTITY = 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01';
const MARKINGS = [TLP_CLEAR, TLP_WHITE];

/** STIX 2.1 §7.2.1.4 predefined TLP 1.0 marking (the id XSOAR maps). */
const tlpWhite = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: TLP_WHITE,
  created: '2017-01-20T00:00:00.000Z',
  definition_type: 'tlp',
  name: 'TLP:WHITE',
  definition: { tlp: 'white' },
};

/** oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0 (TLP:CLEAR). */
const tlpClear = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: TLP_CLEAR,
  created: '2022-10-01T00:00:00.000Z',
  name: 'TLP:CLEAR',
  extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: 'clear' } },
};

/** oasis-open/cti-stix-common-objects, objects/extension-definition (TLP 2.0). */
const tlp2ExtensionDefinition = {
  id: TLP2_EXTENSION,
  type: 'extension-definition',
  spec_version: '2.1',
  name: 'TLP 2.0',
  description: 'This defines TLP 2.0 as a STIX extension',
  created: '2022-10-01T00:00:00.000Z',
  modified: '2022-10-01T00:00:00.000Z',
  created_by_ref: CISA_IDENTITY,
  schema: 'https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0',
  version: '1.0.0',
  extension_types: ['property-extension'],
};

/** Objects that keep their published bytes: never re-marked, never given our created_by_ref. */
const THIRD_PARTY = [tlpWhite, tlpClear, tlp2ExtensionDefinition];

// ---------------------------------------------------------------------------------------------
// Sources (every URL comes from the curated fact sheet; level: [V] verified, [S] secondary, [U] uncertain)

const SOURCES = {
  'fireeye-2017': ['FireEye', 'https://www.fireeye.com/blog/threat-research/2017/09/north-korea-interested-in-bitcoin.html', '[V] Primary: L. McNamara, "Why Is North Korea So Interested in Bitcoin?", 11 Sep 2017.'],
  'mandiant-2017': ['Mandiant', 'https://www.mandiant.com/resources/blog/why-north-korea-interested-in-bitcoin', '[V] Current location of the FireEye Sep 2017 post.'],
  'darkreading-fireeye': ['Dark Reading', 'https://www.darkreading.com/threat-intelligence/why-north-korean-actors-may-be-targeting-cryptocurrencies/d/d-id/1329851', '[V] Press coverage dating the FireEye post to Sep 2017.'],
  'giga-fireeye': ['giga.law', 'https://giga.law/daily-news/2017/9/12/north-korean-hackers-reportedly-target-crypto-currency-exchanges', '[V] Press coverage of the FireEye post, 12 Sep 2017.'],
  'computing-fireeye': ['Computing', 'https://www.computing.co.uk/news/3017169/north-korean-hackers-could-be-stealing-bitcoin-to-fund-regime', '[S] Press coverage of the FireEye findings.'],
  'rsa2018-slides': ['SlideServe (RSA 2018 MASH-R14 slides)', 'https://cdn.slideserve.com/lmarshall/examining-north-korea-s-pursuit-of-cryptocurrencies-powerpoint-ppt-presentation', '[S] Mirror of the RSA 2018 talk naming TEMP.Hermit as closely aligned with Lazarus.'],
  'techcentral-yapizon': ['TechCentral', 'https://techcentral.co.za/north-korea-using-crypto-money-bust-sanctions/198701', '[S] Yapizon loss; FireEye saw no clear sign of North Korean involvement.'],
  'nocutnews-reuters': ['Nocut News (Reuters reprint)', 'https://m.nocutnews.co.kr/news/amp/4903779', '[S] Korean reprint of Reuters: AlienVault named the IP, AhnLab tied it to 2014-15 attacks. Not confirmed in the AlienVault post itself [U].'],
  'securityweek-miner': ['SecurityWeek', 'https://www.securityweek.com/monero-miner-sends-cryptocurrency-north-korean-university/', '[V] Coverage of the AlienVault miner analysis (8 Jan 2018, Chris Doman).'],
  'cointelegraph-miner': ['Cointelegraph', 'https://cointelegraph.com/news/newly-detected-malware-mines-monero-sends-it-to-north-korean-university/amp', '[V] Coverage of the AlienVault miner analysis.'],
  'scmag-miner': ['SC Magazine', 'https://www.scmagazine.com/news/north-korean-monero-miner-educational-tool-or-weapon-prototype', '[S] AlienVault hypotheses on authorship (university project; related samples pointing to Morocco).'],
  'darkreading-miner': ['Dark Reading', 'https://www.darkreading.com/attacks-breaches/new-cryptocurrency-mining-malware-has-links-to-north-korea/d/d-id/1330773', '[S] Coverage of the AlienVault miner analysis.'],
  'taipeitimes-reuters': ['Taipei Times (Reuters reprint)', 'http://www.taipeitimes.com/News/world/archives/2018/01/10/2003685533/1', '[V] Reuters story reprinted 10 Jan 2018.'],
  'alienvault-blog': ['AlienVault Labs', 'https://www.alienvault.com/blogs/labs-research/a-north-korean-monero-cryptocurrency-miner', '[U] URL taken from the YARA rule metadata; the post itself could not be retrieved.'],
  'yara-doman': ['Yara-Rules (nkminer_monero by Chris Doman)', 'https://github.com/Yara-Rules/rules/blob/master/malware/MALW_Monero_Miner_installer.yar', '[V] AlienVault YARA rule, MIT licence, tlp white: file paths, pool host, password and Monero address strings.'],
  'neo23x0-nkminer': ['Neo23x0 signature-base (NK_Miner_Malware_Jan18_1)', 'https://github.com/Neo23x0/signature-base/blob/master/yara/crime_nkminer.yar', '[V] Florian Roth rule dated 2018-01-09 listing two SHA-256 values for the miner in the AlienVault report; which one is the installer is not stated [U].'],
  'trendmicro-miner': ['Trend Micro', 'https://trendmicro.com/vinfo/es/security/news/cybercrime-and-digital-threats/monero-miners-found-in-blackberry-mobile-site-north-korean-university-server', '[V] Trend Micro news item on the KSU-linked miner (detections TROJ_COINMINER.JA/.JB).'],
  'trendmicro-nk-internet': ['Trend Micro', 'https://trendmicro.com/en_us/research/17/j/a-closer-look-at-north-koreas-internet.html', '[V] North Korean address space (1,024 addresses); part of it is used by foreign VPN providers.'],
  'gokmu-yonhap': ['Gokmu (Yonhap reprint)', 'http://www.gokmu.com/news/article.html?no=12075', '[S] APNIC registration of 175.45.176.0/22 to Star Joint Venture, 14 Dec 2009.'],
  'undocs-s2019691': ['UN Security Council S/2019/691', 'http://undocs.org/S/2019/691', '[S] UN Panel of Experts midterm report, 30 Aug 2019, p. 29 (seen via the tayvano research notes).'],
  'tayvano-research': ['tayvano/lazarus-bluenoroff-research', 'https://github.com/tayvano/lazarus-bluenoroff-research', '[S] Community compilation of Elliptic, CoinDesk and UN material on Lazarus/BlueNoroff thefts.'],
  'bloomberg-fsi': ['Bloomberg', 'https://www.bloomberg.com/news/articles/2018-01-02/north-korean-hackers-hijack-computers-to-mine-cryptocurrencies', '[S] FSI analyst Kwak Kyoung-ju on Andariel cryptojacking, 2 Jan 2018 (read via web.archive.org).'],
  'otx-andariel': ['AlienVault OTX', 'https://otx.alienvault.com/pulse/5a4e247096a05f2648cfc1cd', '[U] Pulse linked from the tayvano notes; its contents were not seen.'],
  'cyberscoop-wannacry': ['CyberScoop', 'https://cyberscoop.com/wannacry-monero-bitcoin/', '[S] WannaCry ransom moved through ShapeShift into Monero in early Aug 2017.'],
  'pymnts-wannacry': ['PYMNTS', 'https://www.pymnts.com/news/security-and-risk/2017/wannacry-hackers-money-launder-bitcoins-on-swiss-virtual-currency-exchange/', '[S] WannaCry ransom laundering; ShapeShift blacklisted the addresses.'],
  'reuters-bossert': ['Reuters', 'https://uk.reuters.com/article/usa-cyber-northkorea-bossert/us-says-north-korea-directly-responsible-for-wannacry-cyber-attack-idUKW1N1N7029', '[V] US attribution of WannaCry to North Korea, Dec 2017.'],
  'fastcompany-wannacry': ['Fast Company', 'https://www.fastcompany.com/40509700/the-us-government-says-north-korea-was-behind-wannacry-cyber-attack', '[V] US government attribution of WannaCry, Dec 2017.'],
  'investor-2017': ['The Investor', 'http://m.theinvestor.co.kr/view.php?ud=20171016000776', '[S] Bithumb 2017 breach; prosecutors close to concluding North Korea was responsible (16 Oct 2017).'],
  'investor-2018': ['The Investor', 'https://theinvestor.co.kr/view.php?ud=20180202000561', '[S] Follow-up on the Bithumb 2017 breach.'],
  'straitstimes-youbit': ['The Straits Times', 'https://www.straitstimes.com/asia/east-asia/south-korean-crypto-exchange-files-for-bankruptcy-after-hack', '[S] Youbit bankruptcy after the Dec 2017 theft.'],
  'bitdefender-youbit': ['Bitdefender HotForSecurity', 'https://www.bitdefender.com/blog/hotforsecurity/bitcoin-exchange-shuts-down-after-being-hacked-twice-in-one-year/', '[S] Youbit hacked twice in 2017.'],
  'securityweek-rf': ['SecurityWeek', 'https://www.securityweek.com/north-korean-hackers-prep-attacks-against-cryptocurrency-exchanges-report/', '[S] Coverage of the Recorded Future report (Jan 2018).'],
  'rttnews-rf': ['RTTNews', 'http://www.rttnews.com/story.aspx?Id=2853695', '[S] Coverage of the Recorded Future report.'],
  'rf-podcast': ['Recorded Future', 'https://www.recordedfuture.com/podcast-episode-40/', '[S] Recorded Future podcast on the campaign; the report URL itself was not found [U].'],
  'ibtimes-coinlink': ['International Business Times', 'https://ibtimes.co.uk/lazarus-north-korean-hackers-linked-sony-hack-were-behind-cryptocurrency-attacks-south-korea-1655467', '[S] Coinlink named as a target; Coinlink denies any compromise.'],
  'secureworks-2017': ['Secureworks', 'https://www.secureworks.com/about/press/media-alert-secureworks-discovers-north-korean-cyber-threat-group-lazarus-spearphishing', '[V] Secureworks media alert, 15 Dec 2017 (cited by MITRE).'],
  'scmaguk-secureworks': ['SC Magazine UK', 'https://www.scmagazineuk.com/more-evidence-emerges-of-north-korea-targeting-cryptocurrency-industry/article/719498/', '[S] Coverage of the Secureworks findings.'],
  'securelist-applejeus': ['Kaspersky Securelist', 'https://securelist.com/operation-applejeus/87553/', '[V] Kaspersky GReAT, "Operation AppleJeus", 23 Aug 2018.'],
  'cointrust-applejeus': ['CoinTrust', 'https://cointrust.com/?p=4223', '[S] Summary of the Kaspersky AppleJeus findings (Celas Trade Pro, Updater.exe, FALLCHILL).'],
  'cisa-aa21-048a': ['CISA', 'https://www.cisa.gov/news-events/news/cisa-fbi-and-treasury-expose-latest-tool-north-koreas-cryptocurrency-theft-scheme-applejeus', '[V] CISA/FBI/Treasury AA21-048A on AppleJeus, 17 Feb 2021.'],
  'executivegov-aa21': ['ExecutiveGov', 'https://executivegov.com/2021/02/cisa-treasury-fbi-issue-advisory-on-north-koreas-cryptocurrency-malware-applejeus/', '[S] Summary of AA21-048A.'],
  'cisa-aa22-108a': ['CISA', 'https://www.cisa.gov/news-events/cybersecurity-advisories/aa22-108a', '[U] Canonical URL of AA22-108A; not opened by the curators.'],
  'readkong-aa22': ['ReadKong (copy of AA22-108A)', 'https://readkong.com/page/tradertraitor-north-korean-state-sponsored-apt-targets-8816935', '[V] Copy of the FBI/CISA/Treasury TraderTraitor advisory, 18 Apr 2022, TLP:WHITE.'],
  'executivebiz-aa22': ['ExecutiveBiz', 'https://blog.executivebiz.com/2022/04/cisa-fbi-treasury-issue-advisory-on-hackers-targeting-cryptocurrency-industry/', '[S] Summary of AA22-108A.'],
  'scmag-ronin': ['SC Magazine', 'https://www.scmagazine.com/brief/cybercrime/fbi-north-korean-hackers-behind-620m-axie-infinity-theft', '[V] FBI attribution of the Ronin theft to Lazarus/APT38, Apr 2022.'],
  'coindaily-ronin': ['CoinDaily', 'https://coindailynews.io/2022/04/16/ofac-update-claims-ronin-hack-is-tethered-to-north-koreas-hacker-syndicate-lazarus-group', '[S] OFAC added the Ronin exploiter ETH address to the Lazarus Group SDN entry on 14 Apr 2022.'],
  'treasury-sm774': ['U.S. Department of the Treasury', 'https://home.treasury.gov/news/press-releases/sm774', '[V] Treasury press release sm774, 13 Sep 2019: Lazarus Group, Bluenoroff and Andariel are controlled by the RGB.'],
  'nknews-pust': ['NK News', 'https://www.nknews.org/2017/11/elite-north-korean-students-lectured-on-bitcoin-blockchain-technology/', '[V] Bitcoin and blockchain course at PUST, Nov 2017.'],
  'coinpedia-pust': ['Coinpedia', 'https://coinpedia.org/news/north-korea-students-taught-bitcoin-crash-course/', '[S] Secondary coverage of the PUST course.'],
  'nvd-cve-2017-0144': ['NVD', 'https://nvd.nist.gov/vuln/detail/CVE-2017-0144', '[U] Standard EternalBlue mapping, not re-verified by the curators.'],
  'signature-base-applejeus': ['Neo23x0 signature-base (apt_lazarus_applejeus.yar)', 'https://github.com/Neo23x0/signature-base/blob/master/yara/apt_lazarus_applejeus.yar', '[U] Rule dated 2018-08-24 referencing the Kaspersky report; CC BY-NC 4.0; sample roles not stated.'],
  'oasis-tlp2': ['OASIS cti-stix-common-objects (TLP 2.0)', 'https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0', 'Creator of the TLP 2.0 marking extension referenced by TLP:CLEAR.'],
};

function ext(...keys) {
  return keys.map((k) => {
    const s = SOURCES[k];
    if (!s) throw new Error(`unknown source ${k}`);
    return { source_name: s[0], url: s[1], description: s[2] };
  });
}

function attack(externalId, kind) {
  const url = `https://attack.mitre.org/${kind}/${externalId.replace('.', '/')}`;
  return { source_name: 'mitre-attack', url, external_id: externalId };
}

// ---------------------------------------------------------------------------------------------
// Authoring helpers

const objects = new Map(); // id -> object, in authoring order
const provenance = new Map(); // id -> source keys (reports collect objects by source)
const indicatorOnly = new Set(); // ids that belong to the indicators collection only

function add(obj, sources) {
  if (objects.has(obj.id)) throw new Error(`duplicate id ${obj.id}`);
  objects.set(obj.id, obj);
  provenance.set(obj.id, sources || []);
  return obj.id;
}

const FEED = fixedId('identity', 'feed');

/** SDO/SRO with the feed's common properties. `extra.sources` are SOURCES keys; `extra.refs` other external refs. */
function sdo(type, id, body, extra = {}) {
  const obj = { type, spec_version: '2.1', id, created_by_ref: FEED, created: authoring, modified: authoring, ...body };
  if (extra.confidence !== undefined) obj.confidence = extra.confidence;
  const refs = [...(extra.refs || []), ...ext(...(extra.sources || []))];
  if (refs.length) obj.external_references = refs;
  obj.object_marking_refs = MARKINGS;
  add(obj, extra.sources);
  return id;
}

function sco(type, props, sources) {
  const id = scoId(type, props);
  add({ type, spec_version: '2.1', id, ...props, object_marking_refs: MARKINGS }, sources);
  return id;
}

function rel(source, type, target, description, confidence, sources, fixed) {
  const id = fixed || fixedId('relationship', `${source} ${type} ${target}`);
  return sdo(
    'relationship',
    id,
    { relationship_type: type, description, source_ref: source, target_ref: target },
    { confidence, sources },
  );
}

const at = (day) => `${day}T00:00:00.000Z`;

// ---------------------------------------------------------------------------------------------
// Identities

add(
  {
    type: 'identity',
    spec_version: '2.1',
    id: FEED,
    created: AUTHORED,
    modified: AUTHORED,
    name: 'DPRK crypto feed curators',
    description:
      'Producer of this curated STIX 2.1 feed on North Korean cryptocurrency operations. Every object it authors is built from open sources listed in the object\'s external references; confidence values follow the source level ([V] verified, [S] secondary, [U] uncertain).',
    identity_class: 'organization',
    object_marking_refs: MARKINGS,
  },
  [],
);

const idn = {};
function identity(key, name, cls, sectors, description, sources, confidence, fixed) {
  const body = { name, description, identity_class: cls };
  if (sectors) body.sectors = sectors;
  idn[key] = sdo('identity', fixed || fixedId('identity', key), body, { sources, confidence });
}

identity('cisa', 'Cybersecurity and Infrastructure Security Agency', 'organization', ['government-national'],
  'US federal cyber-defence agency. Co-author of the AppleJeus (AA21-048A) and TraderTraitor (AA22-108A) advisories, and creator of the TLP 2.0 STIX extension whose definition references this identity id.',
  ['cisa-aa21-048a', 'oasis-tlp2'], undefined, CISA_IDENTITY);
identity('alienvault', 'AlienVault Labs', 'organization', ['technology'],
  'Research team of AlienVault (later AT&T Alien Labs, now LevelBlue). Chris Doman published its analysis of a Monero miner tied to a North Korean university host on 8 Jan 2018.',
  ['securityweek-miner']);
identity('fireeye', 'FireEye (now Mandiant)', 'organization', ['technology'],
  'Security vendor. Luke McNamara\'s Sep 2017 analysis described North Korean interest in cryptocurrency and phishing of South Korean exchanges; his RSA 2018 talk used the name TEMP.Hermit.',
  ['fireeye-2017', 'mandiant-2017']);
identity('ahnlab', 'AhnLab', 'organization', ['technology'],
  'South Korean security vendor. As quoted by Reuters, it tied IP 175.45.178.19 to North Korean attacks on South Korean networks in 2014-15. Secondary reporting only [S].',
  ['nocutnews-reuters'], 50);
identity('ksu', 'Kim Il Sung University', 'organization', ['education'],
  'University in Pyongyang whose domain ryongnamsan.edu.kp holds the mining host configured in the Dec 2017 miner. Modelled only as the owner and location of that infrastructure, not as an attacker: foreigners also study and teach there, so who wrote the miner is open.',
  ['scmag-miner', 'securityweek-miner']);
identity('pust', 'Pyongyang University of Science and Technology', 'organization', ['education'],
  'Pyongyang university that hosted a Bitcoin and blockchain course in early Nov 2017, given by Chainside co-founder Federico Tenga: five 90-minute lectures to about 40 students. Context for state interest in cryptocurrency; no malicious activity is attached to it.',
  ['nknews-pust', 'coinpedia-pust']);
identity('bithumb', 'Bithumb', 'organization', ['financial-services'],
  'South Korean cryptocurrency exchange (operated as BTC Korea.com) that lost data or funds in 2017, 2018 and 2019.',
  ['investor-2017', 'tayvano-research']);
identity('youbit', 'Youbit (formerly Yapizon, operated by Yapian)', 'organization', ['financial-services'],
  'South Korean cryptocurrency exchange robbed in Apr 2017 and again on 19 Dec 2017, after which its operator went bankrupt.',
  ['straitstimes-youbit', 'bitdefender-youbit']);
identity('coinlink', 'Coinlink', 'organization', ['financial-services'],
  'South Korean cryptocurrency exchange that Recorded Future named as a target of a late-2017 campaign. Coinlink denies that it was compromised. Secondary reporting [S].',
  ['ibtimes-coinlink'], 40);
identity('skymavis', 'Sky Mavis', 'organization', ['technology'],
  'Developer of Axie Infinity and operator of the Ronin Network bridge, robbed in Mar 2022.',
  ['scmag-ronin']);
identity('recordedfuture', 'Recorded Future (Insikt Group)', 'organization', ['technology'],
  'Threat-intelligence vendor whose Jan 2018 report described HWP spear-phishing of South Korean cryptocurrency users and an exchange. Known here through secondary coverage [S].',
  ['securityweek-rf', 'rf-podcast']);
identity('secureworks', 'Secureworks', 'organization', ['technology'],
  'Security vendor whose 15 Dec 2017 media alert tied CFO-job spear-phishing of cryptocurrency firms to Lazarus (Secureworks name: NICKEL ACADEMY).',
  ['secureworks-2017']);
identity('kaspersky', 'Kaspersky (GReAT)', 'organization', ['technology'],
  'Security vendor whose GReAT team published "Operation AppleJeus" on 23 Aug 2018.',
  ['securelist-applejeus']);
identity('trendmicro', 'Trend Micro', 'organization', ['technology'],
  'Security vendor that described North Korean address space and detected the KSU-linked miner as TROJ_COINMINER.JA/.JB.',
  ['trendmicro-nk-internet', 'trendmicro-miner']);
identity('fsi', 'Financial Security Institute (South Korea)', 'organization', null,
  'South Korean financial-sector security body. Its analyst Kwak Kyoung-ju described Andariel cryptojacking to Bloomberg on 2 Jan 2018 [S].',
  ['bloomberg-fsi'], 50);
identity('unpoe', 'United Nations Panel of Experts on the DPRK', 'organization', null,
  'UN Security Council expert panel whose Aug 2019 midterm report (S/2019/691) covers DPRK cryptocurrency mining and exchange thefts.',
  ['undocs-s2019691']);
identity('treasury', 'U.S. Department of the Treasury', 'organization', ['government-national'],
  'US Treasury; its 13 Sep 2019 sanctions tied Lazarus Group, Bluenoroff and Andariel to the RGB, and its OFAC office listed the Ronin exploiter address in Apr 2022.',
  ['treasury-sm774', 'coindaily-ronin']);

// ---------------------------------------------------------------------------------------------
// Locations

const loc = {};
loc.kp = sdo('location', fixedId('location', 'north-korea'),
  { name: 'North Korea', description: 'Democratic People\'s Republic of Korea (DPRK).', region: 'eastern-asia', country: 'KP' },
  { sources: ['treasury-sm774'] });
loc.pyongyang = sdo('location', fixedId('location', 'pyongyang'),
  { name: 'Pyongyang', description: 'Capital of North Korea; site of Kim Il Sung University and PUST.', country: 'KP', city: 'Pyongyang' },
  { sources: ['scmag-miner', 'nknews-pust'] });
loc.kr = sdo('location', fixedId('location', 'south-korea'),
  { name: 'South Korea', description: 'Republic of Korea; home of the exchanges and companies hit in 2017-2019.', region: 'eastern-asia', country: 'KR' },
  { sources: ['fireeye-2017'] });
loc.ma = sdo('location', fixedId('location', 'morocco'),
  { name: 'Morocco', description: 'Uncertain [U]: AlienVault\'s hypothesis for where the author of two samples related to the KSU miner came from, based on compile strings, the first upload location and French text. Used only with low confidence.', country: 'MA' },
  { sources: ['scmag-miner'], confidence: 15 });

// ---------------------------------------------------------------------------------------------
// Threat actors and intrusion sets (intrusion sets reuse MITRE ATT&CK ids; content is our paraphrase)

const ta = {};
ta.rgb = sdo('threat-actor', fixedId('threat-actor', 'dprk-rgb'), {
  name: 'DPRK Reconnaissance General Bureau',
  description: 'North Korea\'s main foreign intelligence agency. The US Treasury (Sep 2019) named Lazarus Group, Bluenoroff and Andariel as controlled by it; ATT&CK attributes Lazarus, APT38, Andariel and AppleJeus to it.',
  threat_actor_types: ['nation-state'],
  aliases: ['RGB'],
  primary_motivation: 'organizational-gain',
}, { sources: ['treasury-sm774'], confidence: 85 });
ta.ksuAuthor = sdo('threat-actor', fixedId('threat-actor', 'ksu-miner-author'), {
  name: 'Unknown author of KSU-linked miner installer',
  description: 'Placeholder for whoever built the Dec 2017 Monero miner installer that pays out through a Kim Il Sung University host. AlienVault judged the Visual Basic code amateurish and unlikely to be Lazarus work, raised a university project as one possibility, and saw related samples pointing to an author possibly from Morocco. No link to any DPRK state group is asserted [U].',
  threat_actor_types: ['unknown'],
  sophistication: 'minimal',
}, { sources: ['securityweek-miner', 'scmag-miner'], confidence: 15 });

const is = {};
is.lazarus = sdo('intrusion-set', 'intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a', {
  name: 'Lazarus Group',
  description: 'North Korean state-sponsored group attributed to the RGB, active since at least 2009 (first_seen is approximate: January of that year). Known for the Nov 2014 Sony Pictures wiper attack; some researchers use the name for all DPRK activity. FireEye\'s TEMP.Hermit is described as closely aligned with it. US advisories tie it to AppleJeus, TraderTraitor and the Ronin theft.',
  aliases: ['Labyrinth Chollima', 'HIDDEN COBRA', 'Guardians of Peace', 'ZINC', 'NICKEL ACADEMY', 'Diamond Sleet'],
  first_seen: at('2009-01-01'),
}, { refs: [attack('G0032', 'groups')], sources: ['rsa2018-slides'], confidence: 85 });
is.apt38 = sdo('intrusion-set', 'intrusion-set--00f67a77-86a4-4adf-be26-1a54fc713340', {
  name: 'APT38',
  description: 'RGB-attributed financially motivated group active since at least 2014 (first_seen approximate). It has targeted banks, casinos and cryptocurrency exchanges in at least 38 countries, and stole $81M in the 2016 Bangladesh Bank heist. CISA lists it among the names for the TraderTraitor actor.',
  aliases: ['NICKEL GLADSTONE', 'BeagleBoyz', 'Bluenoroff', 'Stardust Chollima', 'Sapphire Sleet', 'COPERNICIUM'],
  first_seen: at('2014-01-01'),
}, { refs: [attack('G0082', 'groups')], confidence: 85 });
is.andariel = sdo('intrusion-set', 'intrusion-set--39d6890e-7f23-4474-b8ef-e7b0343c5fc8', {
  name: 'Andariel',
  description: 'North Korean group active since at least 2009 (first_seen approximate), mostly against South Korea; its financially motivated operations have hit ATMs, banks and cryptocurrency exchanges. ATT&CK describes it as a subset of Lazarus Group.',
  aliases: ['Silent Chollima', 'PLUTONIUM', 'Onyx Sleet'],
  first_seen: at('2009-01-01'),
}, { refs: [attack('G0138', 'groups')], confidence: 85 });
is.applejeus = sdo('intrusion-set', 'intrusion-set--14225573-63b5-4e50-ba9a-5fdcaf6a7b4c', {
  name: 'AppleJeus',
  description: 'RGB-attributed group focused on the cryptocurrency industry, active since at least 2018 (first_seen approximate) and added to ATT&CK in 2025. Known for trojanized cryptocurrency applications and the 3CX supply-chain attack.',
  aliases: ['Gleaming Pisces', 'Citrine Sleet', 'UNC1720', 'UNC4736'],
  first_seen: at('2018-01-01'),
}, { refs: [attack('G1049', 'groups')], confidence: 80 });

// ---------------------------------------------------------------------------------------------
// Malware, tools, vulnerabilities, attack patterns

const mw = {};
mw.installer = sdo('malware', fixedId('malware', 'nk-monero-miner-installer'), {
  name: 'NK Monero miner installer',
  description: 'Visual Basic installer found on VirusTotal, created around 24 Dec 2017. It writes the open-source miner xmrig to C:\\Windows\\Sys64\\intelservice.exe (a name imitating Intel software, in a folder Windows does not have) plus an updater.exe, works from C:\\SoftwaresInstall\\soft, and configures mining for a Monero wallet with password KJU against the pool host barjuok.ryongnamsan.edu.kp. It carries debug messages but also decoy file names. Victims and scale are unknown. The language may be VB.NET rather than classic VB, since the YARA rule includes a project GUID [U]. Trend Micro detects it as TROJ_COINMINER.JA/.JB. Unattributed.',
  malware_types: ['dropper', 'resource-exploitation'],
  is_family: false,
  first_seen: at('2017-12-24'),
  implementation_languages: ['visual-basic'],
}, { sources: ['securityweek-miner', 'yara-doman', 'trendmicro-miner', 'alienvault-blog'], confidence: 75 });
mw.peachpit = sdo('malware', fixedId('malware', 'peachpit'), {
  name: 'PEACHPIT',
  description: 'Malware family, with variants, that FireEye saw in the 2017 phishing of South Korean exchanges and linked to the 2016 bank intrusions. The malware type is an assumption: FireEye gave no detailed type [U]. No ATT&CK software entry found.',
  malware_types: ['trojan'],
  is_family: true,
}, { sources: ['fireeye-2017', 'darkreading-fireeye'], confidence: 60 });
mw.wannacry = sdo('malware', 'malware--75ecdbf1-c2bb-4afc-a3f9-c8da4de8c661', {
  name: 'WannaCry',
  description: 'Ransomware with a worm component that spreads over SMBv1 using the EternalBlue exploit; the May 2017 outbreak hit more than 150 countries (first_seen approximate: May 2017). Its bitcoin ransom was later converted to Monero.',
  malware_types: ['ransomware', 'worm'],
  is_family: true,
  aliases: ['WanaCry', 'WanaCrypt', 'WanaCrypt0r', 'WCry'],
  first_seen: at('2017-05-01'),
}, { refs: [attack('S0366', 'software')], sources: ['cyberscoop-wannacry'], confidence: 90 });
mw.applejeus = sdo('malware', 'malware--e2d34c63-6f5a-41f5-86a2-e2380f27f858', {
  name: 'AppleJeus',
  description: 'Downloader family hidden in trojanized cryptocurrency trading applications since 2018 (first_seen approximate: only the year is known); it profiles the host and delivers FALLCHILL. CISA documented seven versions: Celas Trade Pro, JMT Trading, Union Crypto, Kupay Wallet, CoinGoTrade, Dorusio and Ants2Whale. Kaspersky called it the first Lazarus macOS malware it had seen.',
  malware_types: ['downloader'],
  is_family: true,
  first_seen: at('2018-01-01'),
}, { refs: [attack('S0584', 'software')], sources: ['securelist-applejeus', 'cisa-aa21-048a'], confidence: 85 });
mw.fallchill = sdo('malware', 'malware--fece06b7-d4b1-42cf-b81a-5323c917546e', {
  name: 'FALLCHILL',
  description: 'Remote access trojan used by Lazarus Group since at least 2016; delivered by AppleJeus in the 2018 exchange intrusion.',
  malware_types: ['remote-access-trojan'],
  is_family: true,
}, { refs: [attack('S0181', 'software')], sources: ['securelist-applejeus'], confidence: 85 });
mw.tradertraitor = sdo('malware', fixedId('malware', 'tradertraitor'), {
  name: 'TraderTraitor',
  description: 'CISA\'s name for trojanized Windows and macOS cryptocurrency applications pushed through social engineering, such as job offers, to steal private keys. No ATT&CK software id verified.',
  malware_types: ['trojan'],
  is_family: true,
}, { sources: ['readkong-aa22', 'executivebiz-aa22'], confidence: 85 });
mw.destover = sdo('malware', fixedId('malware', 'destover'), {
  name: 'Destover',
  description: 'Wiper and backdoor family; Recorded Future described the late-2017 HWP payload as Destover-like. Secondary reporting [S]; no ATT&CK mapping was checked [U].',
  malware_types: ['wiper', 'backdoor'],
  is_family: true,
}, { sources: ['securityweek-rf', 'rttnews-rf'], confidence: 45 });

const tool = {};
tool.xmrig = sdo('tool', fixedId('tool', 'xmrig'), {
  name: 'XMRig',
  description: 'Legitimate open-source Monero CPU miner, abused here as intelservice.exe. AlienVault noted it had already been used in broad campaigns against unpatched IIS servers. No ATT&CK software entry exists.',
  tool_types: ['unknown'],
}, { sources: ['securityweek-miner'], confidence: 85 });

const vuln = {};
vuln.ghostscript = sdo('vulnerability', fixedId('vulnerability', 'cve-2017-8291'), {
  name: 'CVE-2017-8291',
  description: 'Ghostscript flaw exploited through HWP documents in the late-2017 spear-phishing of South Korean cryptocurrency users [S].',
}, { refs: [{ source_name: 'cve', external_id: 'CVE-2017-8291' }], sources: ['securityweek-rf'], confidence: 60 });
vuln.eternalblue = sdo('vulnerability', fixedId('vulnerability', 'cve-2017-0144'), {
  name: 'CVE-2017-0144',
  description: 'SMBv1 remote code execution flaw fixed in MS17-010 and exploited by EternalBlue, which WannaCry\'s worm used. The CVE mapping is the usual one but was not re-verified by the curators [U].',
}, { refs: [{ source_name: 'cve', external_id: 'CVE-2017-0144' }], sources: ['nvd-cve-2017-0144'], confidence: 50 });

const ap = {};
function attackPattern(key, id, name, externalId, phase, description) {
  ap[key] = sdo('attack-pattern', id, {
    name,
    description,
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: phase }],
  }, { refs: [attack(externalId, 'techniques')], confidence: 90 });
}
attackPattern('computeHijacking', 'attack-pattern--a718a0c8-5768-41a1-9958-a1cc3f995e99', 'Compute Hijacking', 'T1496.001', 'impact',
  'Using a victim\'s CPU or GPU for the adversary\'s benefit, here to mine Monero (sub-technique of Resource Hijacking).');
attackPattern('masquerade', 'attack-pattern--1c4e5d32-1fe9-4116-9d9d-59e3925bd6a2', 'Match Legitimate Resource Name or Location', 'T1036.005', 'defense-evasion',
  'Naming a payload after legitimate software to avoid notice, here intelservice.exe.');
attackPattern('spearphishAttachment', 'attack-pattern--2e34237d-8574-43f6-aace-ae2915de8597', 'Spearphishing Attachment', 'T1566.001', 'initial-access',
  'Targeted email carrying a malicious file, used against exchange staff and cryptocurrency users.');
attackPattern('driveBy', 'attack-pattern--d742a578-d70e-4d0e-96a6-02a9c30204e6', 'Drive-by Compromise', 'T1189', 'initial-access',
  'Compromising a website its targets visit; FireEye tied North Korean operators to a 2016 watering hole on a bitcoin news site.');
attackPattern('maliciousFile', 'attack-pattern--232b7f21-adf9-4b42-b936-b9d6f7df856e', 'Malicious File', 'T1204.002', 'execution',
  'Getting the victim to run a trojanized application, as with AppleJeus and TraderTraitor.');
attackPattern('encryptImpact', 'attack-pattern--b80d107d-fa0d-4b60-9684-b0433e8bdba0', 'Data Encrypted for Impact', 'T1486', 'impact',
  'Encrypting victim data for ransom, as WannaCry did.');

// ---------------------------------------------------------------------------------------------
// Observables (SCO ids: UUIDv5 of the ID-contributing properties)

const WALLET_EXTENSION = fixedId('extension-definition', 'cryptocurrency-wallet');
sdo('extension-definition', WALLET_EXTENSION, {
  name: 'cryptocurrency-wallet',
  description: 'Defines the new SCO type cryptocurrency-wallet for addresses that receive or hold cryptocurrency. Properties: value (string, required): the address exactly as the source published it, case preserved; currency (string, optional): lower-case name of the chain or coin, e.g. monero or ethereum. Common SCO properties apply (type, id, spec_version, object_marking_refs, extensions). ID-contributing properties: value only. The id is the STIX 2.1 §2.9 UUIDv5 (namespace 00abedb4-aa42-466c-9c01-fed23315a9b7) of the RFC 8785 canonical JSON {"value": <address>}. Each instance carries this extension under extensions with extension_type new-sco. Pattern path: [cryptocurrency-wallet:value = \'<address>\'].',
  schema: 'Plain-text definition, no hosted JSON schema: see description. A cryptocurrency-wallet object is a JSON object with type = "cryptocurrency-wallet", id = "cryptocurrency-wallet--" + UUIDv5, spec_version = "2.1", value (string, required), currency (string, optional), object_marking_refs (optional), and extensions containing this extension-definition id with {"extension_type": "new-sco"}. No other properties are defined.',
  version: '1.0.0',
  extension_types: ['new-sco'],
}, { sources: ['yara-doman', 'coindaily-ronin'] });

const wallet = (value, currency, sources) => sco('cryptocurrency-wallet', {
  value,
  currency,
  extensions: { [WALLET_EXTENSION]: { extension_type: 'new-sco' } },
}, sources);

const obs = {};
obs.barjuok = sco('domain-name', { value: 'barjuok.ryongnamsan.edu.kp' }, ['securityweek-miner', 'yara-doman']);
obs.celas = sco('domain-name', { value: 'celasllc.com' }, ['securelist-applejeus', 'cointrust-applejeus']);
obs.ip = sco('ipv4-addr', { value: '175.45.178.19' }, ['nocutnews-reuters', 'taipeitimes-reuters']);
obs.nkBlock = sco('ipv4-addr', { value: '175.45.176.0/22' }, ['trendmicro-nk-internet', 'gokmu-yonhap']);
obs.sha0024 = sco('file', { hashes: { 'SHA-256': '0024e32c0199ded445c0b968601f21cc92fc0c534d2642f2dd64c1c978ff01f3' } }, ['neo23x0-nkminer']);
obs.sha4230 = sco('file', { hashes: { 'SHA-256': '42300b6a09f183ae167d7a11d9c6df21d022a5f02df346350d3d875d557d3b76' } }, ['neo23x0-nkminer']);
obs.shaD555 = sco('file', { hashes: { 'SHA-256': 'd555dcb6da4a6b87e256ef75c0150780b8a343c4a1e09935b0647f01d974d94d' } }, ['signature-base-applejeus']);
obs.sys64 = sco('directory', { path: 'C:\\Windows\\Sys64' }, ['yara-doman']);
obs.softInstall = sco('directory', { path: 'C:\\SoftwaresInstall\\soft' }, ['yara-doman']);
obs.intelservice = sco('file', { name: 'intelservice.exe', parent_directory_ref: obs.sys64 }, ['yara-doman']);
obs.updater = sco('file', { name: 'updater.exe', parent_directory_ref: obs.sys64 }, ['yara-doman']);
obs.monero = wallet('4JUdGzvrMFDWrUUwY3toJATSeNwjn54LkCnKBPRzDuhzi5vSepHfUckJNxRL2gjkNrSqtCoRUrEDAgRwsQvVCjZbRy5YeFCqgoUMnzumvS', 'monero', ['yara-doman']);
obs.ronin = wallet('0x098B716B8Aaf21512996dC57EB0615e2383E2f96', 'ethereum', ['coindaily-ronin', 'scmag-ronin']);

// ---------------------------------------------------------------------------------------------
// Infrastructure

const infra = {};
infra.ksu = sdo('infrastructure', fixedId('infrastructure', 'ksu-monero-endpoint'), {
  name: 'KSU Monero mining endpoint',
  description: 'Mining pool or receiving host barjuok.ryongnamsan.edu.kp, on Kim Il Sung University\'s domain, configured in the Dec 2017 miner. It did not resolve when AlienVault checked in Jan 2018. AlienVault offered three readings: the miner was meant to run inside another network such as the university\'s; the name once resolved and no longer does; or the North Korean host is a prank on researchers. infrastructure_types has no mining-pool value, hence unknown.',
  infrastructure_types: ['unknown'],
  first_seen: at('2017-12-24'),
}, { sources: ['securityweek-miner', 'cointelegraph-miner', 'yara-doman'], confidence: 70 });
infra.celas = sdo('infrastructure', fixedId('infrastructure', 'celas-site'), {
  name: 'Celas fake company website',
  description: 'Website of "Celas", a fake company set up to distribute the trojanized Celas Trade Pro application (installer celastradepro_win_installer_1.00.00.msi) in Operation AppleJeus. An updater C2 path on this domain appears only in secondary write-ups and is not modelled [U].',
  infrastructure_types: ['hosting-malware'],
}, { sources: ['securelist-applejeus', 'cointrust-applejeus'], confidence: 60 });

// ---------------------------------------------------------------------------------------------
// Campaigns

const cp = {};
cp.c1 = sdo('campaign', fixedId('campaign', 'c1-ksu-monero-miner'), {
  name: 'KSU-linked Monero miner installer (Dec 2017)',
  description: 'A Visual Basic installer compiled around 24 Dec 2017 drops xmrig as intelservice.exe and mines Monero for a hard-coded wallet through a host on Kim Il Sung University\'s domain. AlienVault reported it on 8 Jan 2018 from a VirusTotal sample; victims and scale are unknown. Unattributed: AlienVault doubted Lazarus involvement and considered a university project or a prank, so no DPRK group is linked. The UN Panel of Experts cited the malware in S/2019/691 [S].',
  first_seen: at('2017-12-24'),
}, { sources: ['securityweek-miner', 'cointelegraph-miner', 'scmag-miner', 'darkreading-miner', 'taipeitimes-reuters', 'undocs-s2019691'], confidence: 75 });
cp.c2 = sdo('campaign', fixedId('campaign', 'c2-exchange-spearphishing-2017'), {
  name: 'Spear-phishing of South Korean cryptocurrency exchanges (2017)',
  description: 'From early May 2017 FireEye saw phishing of at least three South Korean exchanges, one of which was compromised late that month. Lures went to staff\'s personal email and often used tax themes, delivering PEACHPIT and variants tied to the 2016 bank intrusions. FireEye attributed it to North Korean actors (TEMP.Hermit in the RSA 2018 slides). FireEye named no exchange; it saw no clear North Korean sign in the Yapizon loss of the same period. first_seen is approximate (May 2017); last_seen is the report date.',
  first_seen: at('2017-05-01'),
  last_seen: at('2017-09-11'),
}, { sources: ['fireeye-2017', 'darkreading-fireeye', 'computing-fireeye', 'rsa2018-slides'], confidence: 70 });
cp.c3 = sdo('campaign', fixedId('campaign', 'c3-andariel-cryptojacking-2017'), {
  name: 'Andariel cryptojacking of a South Korean company (summer 2017)',
  description: 'According to the South Korean FSI, speaking to Bloomberg, Andariel took over a server of a South Korean company in summer 2017 and mined about 70 XMR, roughly $25k as of 29 Dec 2017. Repeated in UN report S/2019/691. Secondary reporting [S]; an OTX pulse on it was not seen [U].',
}, { sources: ['bloomberg-fsi', 'undocs-s2019691', 'otx-andariel'], confidence: 60 });
cp.c4 = sdo('campaign', fixedId('campaign', 'c4-wannacry-2017'), {
  name: 'WannaCry ransomware and ransom laundering into Monero (2017)',
  description: 'Global WannaCry outbreak from May 2017 across more than 150 countries, collecting about $140-143k in bitcoin (first_seen approximate: May 2017). Around 2-3 Aug 2017 the ransom was moved through ShapeShift into Monero until ShapeShift blacklisted the addresses [S]. The US (Dec 2017) and the UK publicly attributed WannaCry to North Korea [V].',
  first_seen: at('2017-05-01'),
}, { sources: ['reuters-bossert', 'fastcompany-wannacry', 'cyberscoop-wannacry', 'pymnts-wannacry', 'fireeye-2017'], confidence: 85 });
cp.c5 = sdo('campaign', fixedId('campaign', 'c5-bithumb-2017-2019'), {
  name: 'Bithumb compromises (2017-2019)',
  description: 'Three incidents at one exchange, modelled as one campaign. 2017: an employee opened malware-laden job-application emails on 16 Apr; data on about 31,000 users leaked (31,506 per police) and about 7bn KRW was drained from 266 accounts; found on 29 Jun; prosecutors were reported in Oct 2017 to be close to blaming North Korea. 2018: about $31M taken on 19-20 Jun; Elliptic traced about 1,993 BTC to YoBit in Aug 2018; the UN Panel attributes it to the DPRK. 2019: about $13-19M in EOS and XRP taken on 29 Mar. Mostly secondary reporting [S].',
  first_seen: at('2017-04-16'),
  last_seen: at('2019-03-29'),
}, { sources: ['investor-2017', 'investor-2018', 'tayvano-research', 'undocs-s2019691'], confidence: 60 });
cp.c6 = sdo('campaign', fixedId('campaign', 'c6-youbit-2017'), {
  name: 'Youbit/Yapizon thefts (2017)',
  description: 'On 22 Apr 2017 roughly 3,600-4,000 BTC (sources differ; about 40% of assets) were stolen from Yapizon and blamed on North Korea; on 19 Dec 2017 about 17% of assets were stolen and the operator Yapian filed for bankruptcy. The KISA investigation had not concluded, FireEye saw no clear North Korean sign in the April theft, and no official attribution was found [U].',
  first_seen: at('2017-04-22'),
  last_seen: at('2017-12-19'),
}, { sources: ['straitstimes-youbit', 'bitdefender-youbit', 'techcentral-yapizon'], confidence: 40 });
cp.c7 = sdo('campaign', fixedId('campaign', 'c7-hwp-spearphishing-2017'), {
  name: 'Lazarus HWP spear-phishing against South Korean crypto users (late 2017)',
  description: 'Recorded Future (Jan 2018) described four HWP lures exploiting Ghostscript CVE-2017-8291 to install Destover-like malware, aimed at the exchange Coinlink (which denies being compromised) and South Korean students interested in foreign affairs. Known through secondary coverage [S]; the report\'s own URL was not found.',
}, { sources: ['securityweek-rf', 'rttnews-rf', 'rf-podcast', 'ibtimes-coinlink'], confidence: 60 });
cp.c8 = sdo('campaign', fixedId('campaign', 'c8-cfo-lure-2017'), {
  name: 'CFO-job spear-phishing of cryptocurrency firms (from Oct 2017)',
  description: 'From 25 Oct 2017, lures advertised a fake CFO vacancy at a London-based cryptocurrency company; a Word document with macros dropped a first-stage RAT. Secureworks attributed it to Lazarus (its NICKEL ACADEMY) on 15 Dec 2017.',
  first_seen: at('2017-10-25'),
}, { sources: ['secureworks-2017', 'scmaguk-secureworks'], confidence: 75 });
cp.c9 = sdo('campaign', fixedId('campaign', 'c9-operation-applejeus'), {
  name: 'Operation AppleJeus (2018 onwards)',
  description: 'An employee of an unnamed Asian exchange installed Celas Trade Pro from the fake company Celas; its Updater.exe profiled the host and then delivered FALLCHILL (Kaspersky, Aug 2018). The Feb 2021 US advisory AA21-048A lists seven AppleJeus versions and victims in more than 30 countries during the preceding year, and attributes the activity to Lazarus Group. Active since 2018 per ATT&CK.',
}, { sources: ['securelist-applejeus', 'cointrust-applejeus', 'cisa-aa21-048a', 'executivegov-aa21'], confidence: 85 });
cp.c10 = sdo('campaign', fixedId('campaign', 'c10-tradertraitor'), {
  name: 'TraderTraitor (2020 onwards)',
  description: 'Per US advisory AA22-108A (18 Apr 2022), North Korean state actors active since at least 2020 target blockchain and cryptocurrency firms, including exchanges, DeFi protocols, play-to-earn games, venture funds and large holders of crypto or NFTs, using social engineering such as job offers to get victims to run trojanized cryptocurrency applications that steal private keys. CISA says the actor is tracked as Lazarus Group, APT38, BlueNoroff and Stardust Chollima.',
}, { sources: ['readkong-aa22', 'executivebiz-aa22', 'cisa-aa22-108a'], confidence: 85 });
cp.c11 = sdo('campaign', fixedId('campaign', 'c11-ronin-bridge-2022'), {
  name: 'Ronin Bridge theft (Mar 2022)',
  description: 'Theft of about 173,600 ETH and 25.5M USDC (about $620M) from Sky Mavis\'s Ronin bridge, disclosed on 29 Mar 2022. On 14 Apr 2022 the FBI attributed it to Lazarus Group/APT38 and OFAC added the exploiter\'s Ethereum address to Lazarus Group\'s SDN entry.',
}, { sources: ['scmag-ronin', 'coindaily-ronin'], confidence: 85 });

// ---------------------------------------------------------------------------------------------
// Notes (context that is not an attack or an indicator)

sdo('note', fixedId('note', 'nk-address-space'), {
  abstract: 'North Korean IPv4 space and 175.45.178.19',
  content: 'North Korea\'s registered IPv4 space is 175.45.176.0/22 (175.45.176.0-175.45.179.255, 1,024 addresses), registered through APNIC on 14 Dec 2009 to Star Joint Venture, a venture of the DPRK posts ministry and Thailand\'s Loxley [S]. Trend Micro warns that foreign VPN providers use part of this space, so a North Korean geolocation on its own is weak attribution. 175.45.178.19 lies in it: Reuters, citing AlienVault, said it appeared on bitcoin trading sites, and AhnLab tied it to 2014-15 attacks on South Korean energy, transport, telecom, broadcasting, finance and political networks [S]. A claim that the same address downloaded Top Gear episodes has a single source only [U]. No link between this address and the Dec 2017 miner is shown. STIX 2.1 has no relationship from an address to a location, hence this note.',
  authors: ['DPRK crypto feed curators'],
  object_refs: [obs.nkBlock, obs.ip, loc.kp],
}, { sources: ['trendmicro-nk-internet', 'gokmu-yonhap', 'nocutnews-reuters'], confidence: 60 });
sdo('note', fixedId('note', 'pust-bitcoin-course'), {
  abstract: 'Bitcoin course at PUST (Nov 2017)',
  content: 'In early Nov 2017 Federico Tenga, a co-founder of Chainside, taught a Bitcoin and blockchain course at Pyongyang University of Science and Technology: five 90-minute lectures to about 40 students. Context for North Korean interest in cryptocurrency in late 2017; no malicious activity is implied.',
  authors: ['DPRK crypto feed curators'],
  object_refs: [idn.pust, loc.pyongyang],
}, { sources: ['nknews-pust', 'coinpedia-pust'], confidence: 80 });

// ---------------------------------------------------------------------------------------------
// Relationships (context)

const MITRE_LAZARUS_USES_WANNACRY = 'relationship--25e7ca82-2784-433a-90a9-a3483615a655';
const MITRE_LAZARUS_USES_APPLEJEUS = 'relationship--d0076185-9619-4365-b74a-44f52cc92c79';
const MITRE_LAZARUS_USES_FALLCHILL = 'relationship--216c15b0-3091-49f2-ba85-356d56265671';

const MINER = ['securityweek-miner', 'yara-doman'];
// C1
rel(cp.c1, 'uses', mw.installer, 'The campaign is defined by this installer.', 80, MINER);
rel(cp.c1, 'uses', tool.xmrig, 'The installer deploys xmrig as intelservice.exe.', 80, MINER);
rel(cp.c1, 'uses', infra.ksu, 'The miner is configured to mine through the KSU host.', 70, MINER);
rel(cp.c1, 'uses', ap.computeHijacking, 'Mines Monero on the victim\'s CPU.', 75, MINER);
rel(cp.c1, 'uses', ap.masquerade, 'The miner is named intelservice.exe to pass as Intel software.', 75, MINER);
rel(cp.c1, 'attributed-to', ta.ksuAuthor, 'Only the unknown author is asserted; no DPRK state group [U].', 15, ['securityweek-miner', 'scmag-miner']);
rel(mw.installer, 'drops', tool.xmrig, 'Writes xmrig to disk as intelservice.exe.', 80, MINER);
rel(mw.installer, 'drops', obs.intelservice, 'Dropped file C:\\Windows\\Sys64\\intelservice.exe (xmrig).', 80, ['yara-doman']);
rel(mw.installer, 'drops', obs.updater, 'Dropped file C:\\Windows\\Sys64\\updater.exe; its role is not described.', 70, ['yara-doman']);
rel(mw.installer, 'communicates-with', obs.barjuok, 'Mining pool host in the miner\'s configuration; it was never seen resolving.', 60, MINER);
rel(mw.installer, 'related-to', obs.monero, 'Monero address string in the samples; very likely the payout wallet, but the rule does not label it [U].', 50, ['yara-doman', 'securityweek-miner']);
rel(infra.ksu, 'consists-of', obs.barjuok, 'The endpoint is this hostname.', 80, MINER);
rel(infra.ksu, 'located-at', loc.pyongyang, 'Inferred from the KSU .edu.kp domain; the host never resolved.', 60, ['scmag-miner', 'securityweek-miner']);
rel(infra.ksu, 'related-to', idn.ksu, 'The host sits on KSU\'s domain; KSU is the owner of the name, not an accused attacker.', 70, ['scmag-miner']);
rel(idn.ksu, 'located-at', loc.pyongyang, 'KSU is in Pyongyang.', 95, ['scmag-miner']);
rel(idn.pust, 'located-at', loc.pyongyang, 'PUST is in Pyongyang.', 95, ['nknews-pust']);
rel(ta.ksuAuthor, 'located-at', loc.ma, 'AlienVault hypothesis from related samples (compile strings, upload location, French text) [U].', 15, ['scmag-miner']);
// C2
rel(cp.c2, 'attributed-to', is.lazarus, 'FireEye named North Korean actors (TEMP.Hermit, closely aligned with Lazarus).', 60, ['fireeye-2017', 'rsa2018-slides']);
rel(cp.c2, 'uses', mw.peachpit, 'PEACHPIT and variants were delivered by the lures.', 70, ['fireeye-2017', 'darkreading-fireeye']);
rel(cp.c2, 'uses', ap.spearphishAttachment, 'Tax-themed lures sent to employees\' personal email.', 60, ['fireeye-2017', 'computing-fireeye']);
rel(cp.c2, 'targets', loc.kr, 'At least three South Korean exchanges; FireEye named none.', 80, ['fireeye-2017']);
rel(is.lazarus, 'uses', ap.driveBy, 'FireEye tied North Korean operators to a 2016 watering hole on a bitcoin news site.', 50, ['fireeye-2017', 'darkreading-fireeye']);
// C3
rel(cp.c3, 'attributed-to', is.andariel, 'Attribution by the South Korean FSI via Bloomberg [S].', 70, ['bloomberg-fsi']);
rel(cp.c3, 'uses', ap.computeHijacking, 'Mined about 70 XMR on a hijacked server.', 70, ['bloomberg-fsi']);
rel(cp.c3, 'targets', loc.kr, 'The hijacked server belonged to a South Korean company.', 70, ['bloomberg-fsi']);
// C4
rel(cp.c4, 'attributed-to', is.lazarus, 'US and UK governments publicly attributed WannaCry to North Korea.', 85, ['reuters-bossert', 'fastcompany-wannacry']);
rel(cp.c4, 'uses', mw.wannacry, 'The campaign is the WannaCry outbreak.', 95, ['reuters-bossert']);
rel(mw.wannacry, 'uses', ap.encryptImpact, 'Encrypts files and demands a bitcoin ransom.', 90, ['cyberscoop-wannacry'], undefined);
rel(mw.wannacry, 'exploits', vuln.eternalblue, 'Worm spreads over SMBv1 with EternalBlue; CVE mapping not re-verified [U].', 50, ['nvd-cve-2017-0144']);
rel(is.lazarus, 'uses', mw.wannacry, 'Lazarus Group uses WannaCry (ATT&CK relationship id).', 85, ['reuters-bossert'], MITRE_LAZARUS_USES_WANNACRY);
// C5
rel(cp.c5, 'attributed-to', is.lazarus, 'Prosecutors were close to blaming North Korea for 2017; the UN Panel attributes 2018 to the DPRK.', 50, ['investor-2017', 'undocs-s2019691']);
rel(cp.c5, 'targets', idn.bithumb, 'Bithumb lost user data in 2017 and funds in 2017, 2018 and 2019.', 90, ['investor-2017', 'tayvano-research']);
rel(cp.c5, 'targets', loc.kr, 'Bithumb is a South Korean exchange.', 90, ['investor-2017']);
rel(cp.c5, 'uses', ap.spearphishAttachment, 'Malware-laden job-application emails opened by an employee in Apr 2017.', 60, ['investor-2017']);
// C6
rel(cp.c6, 'attributed-to', is.lazarus, 'Press blamed North Korea; no official statement found [U].', 35, ['straitstimes-youbit', 'bitdefender-youbit']);
rel(cp.c6, 'targets', idn.youbit, 'Youbit/Yapizon was robbed twice in 2017.', 90, ['straitstimes-youbit', 'bitdefender-youbit']);
rel(cp.c6, 'targets', loc.kr, 'Youbit is a South Korean exchange.', 90, ['straitstimes-youbit']);
// C7
rel(cp.c7, 'attributed-to', is.lazarus, 'Recorded Future attribution, known through secondary coverage [S].', 60, ['securityweek-rf', 'rttnews-rf']);
rel(cp.c7, 'uses', ap.spearphishAttachment, 'Four HWP document lures.', 60, ['securityweek-rf']);
rel(cp.c7, 'uses', mw.destover, 'Payload described as Destover-like [S].', 50, ['securityweek-rf', 'rttnews-rf']);
rel(cp.c7, 'targets', vuln.ghostscript, 'The HWP lures exploited the Ghostscript flaw (the documents exploit it, not the Destover payload).', 55, ['securityweek-rf']);
rel(cp.c7, 'targets', idn.coinlink, 'Named as a target by Recorded Future; Coinlink denies any compromise.', 40, ['ibtimes-coinlink', 'securityweek-rf']);
rel(cp.c7, 'targets', loc.kr, 'South Korean cryptocurrency users, an exchange and students.', 60, ['securityweek-rf']);
// C8
rel(cp.c8, 'attributed-to', is.lazarus, 'Secureworks attribution (NICKEL ACADEMY).', 75, ['secureworks-2017']);
rel(cp.c8, 'uses', ap.spearphishAttachment, 'Macro-laden Word document posing as a CFO job description.', 70, ['secureworks-2017', 'scmaguk-secureworks']);
// C9
rel(cp.c9, 'attributed-to', is.lazarus, 'AA21-048A attributes AppleJeus to Lazarus Group.', 85, ['cisa-aa21-048a']);
rel(cp.c9, 'attributed-to', is.applejeus, 'ATT&CK now tracks this activity as the AppleJeus group (G1049).', 70, ['cisa-aa21-048a'], undefined);
rel(cp.c9, 'uses', mw.applejeus, 'Trojanized trading applications carry AppleJeus.', 85, ['securelist-applejeus', 'cisa-aa21-048a']);
rel(cp.c9, 'uses', mw.fallchill, 'AppleJeus delivered FALLCHILL to the exchange victim.', 80, ['securelist-applejeus', 'cointrust-applejeus']);
rel(cp.c9, 'uses', ap.maliciousFile, 'Victims install and run the trojanized application.', 80, ['securelist-applejeus']);
rel(cp.c9, 'uses', infra.celas, 'Fake company site distributing Celas Trade Pro.', 60, ['securelist-applejeus', 'cointrust-applejeus']);
rel(infra.celas, 'consists-of', obs.celas, 'Domain of the fake Celas company [S].', 60, ['cointrust-applejeus', 'securelist-applejeus']);
rel(mw.applejeus, 'downloads', mw.fallchill, 'The updater profiles the host, then fetches FALLCHILL.', 80, ['securelist-applejeus', 'cointrust-applejeus']);
rel(is.lazarus, 'uses', mw.applejeus, 'Lazarus Group uses AppleJeus (ATT&CK relationship id).', 85, ['cisa-aa21-048a'], MITRE_LAZARUS_USES_APPLEJEUS);
rel(is.lazarus, 'uses', mw.fallchill, 'Lazarus Group uses FALLCHILL (ATT&CK relationship id).', 85, ['securelist-applejeus'], MITRE_LAZARUS_USES_FALLCHILL);
// C10
rel(cp.c10, 'attributed-to', is.lazarus, 'AA22-108A: the actor is tracked as Lazarus Group.', 85, ['readkong-aa22']);
rel(cp.c10, 'attributed-to', is.apt38, 'AA22-108A: the actor is also tracked as APT38/BlueNoroff.', 85, ['readkong-aa22']);
rel(cp.c10, 'uses', mw.tradertraitor, 'Trojanized cryptocurrency applications named TraderTraitor.', 85, ['readkong-aa22', 'executivebiz-aa22']);
rel(cp.c10, 'uses', ap.maliciousFile, 'Victims are talked into running the trojanized application.', 80, ['readkong-aa22']);
// C11
rel(cp.c11, 'attributed-to', is.lazarus, 'FBI attribution, 14 Apr 2022.', 85, ['scmag-ronin']);
rel(cp.c11, 'attributed-to', is.apt38, 'FBI named Lazarus Group/APT38.', 85, ['scmag-ronin']);
rel(cp.c11, 'targets', idn.skymavis, 'Theft from the Ronin bridge run by Sky Mavis.', 90, ['scmag-ronin']);
rel(cp.c11, 'related-to', obs.ronin, 'Exploiter address added by OFAC to Lazarus Group\'s SDN entry.', 85, ['coindaily-ronin', 'scmag-ronin']);
// Groups and the RGB
for (const [set, conf, sources, why] of [
  [is.lazarus, 85, ['treasury-sm774'], 'Treasury (Sep 2019) named Lazarus Group as controlled by the RGB.'],
  [is.apt38, 85, ['treasury-sm774'], 'Treasury (Sep 2019) named Bluenoroff (APT38) as controlled by the RGB.'],
  [is.andariel, 85, ['treasury-sm774'], 'Treasury (Sep 2019) named Andariel as controlled by the RGB.'],
  [is.applejeus, 70, ['cisa-aa21-048a'], 'ATT&CK attributes the AppleJeus group to the RGB; US advisories call the activity Lazarus.'],
]) {
  rel(set, 'attributed-to', ta.rgb, why, conf, sources);
  rel(set, 'originates-from', loc.kp, 'North Korean state-sponsored group.', conf, sources);
}
rel(ta.rgb, 'located-at', loc.kp, 'The RGB is a North Korean state agency.', 95, ['treasury-sm774']);
rel(is.andariel, 'related-to', is.lazarus, 'ATT&CK describes Andariel as a subset of Lazarus Group (no standard verb for that).', 70, ['treasury-sm774'], undefined);

// ---------------------------------------------------------------------------------------------
// Indicators (indicators collection only), each with its based-on and indicates relationships

const LABELS = ['dprk', 'cryptocurrency'];
function indicator(key, spec) {
  const id = fixedId('indicator', key);
  const body = {
    name: spec.name,
    description: spec.description,
    indicator_types: spec.types,
    pattern: spec.pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: at(spec.validFrom),
  };
  if (spec.phases) body.kill_chain_phases = spec.phases.map((p) => ({ kill_chain_name: 'mitre-attack', phase_name: p }));
  body.labels = [...LABELS, ...spec.labels];
  sdo('indicator', id, body, { sources: spec.sources, confidence: spec.confidence });
  indicatorOnly.add(id);
  indicatorOnly.add(rel(id, 'based-on', spec.basedOn, 'The pattern matches this observable.', spec.confidence, spec.sources));
  for (const [target, conf, why] of spec.indicates) {
    indicatorOnly.add(rel(id, 'indicates', target, why, conf, spec.sources));
  }
}

indicator('ksu-mining-hostname', {
  name: 'KSU Monero mining hostname',
  description: 'Mining pool host configured in the Dec 2017 KSU-linked Monero miner (password KJU). It did not resolve when AlienVault checked in Jan 2018, so live hits are unlikely; a DNS query for it still points to this miner. Unattributed.',
  types: ['malicious-activity'],
  pattern: "[domain-name:value = 'barjuok.ryongnamsan.edu.kp']",
  validFrom: '2018-01-08',
  phases: ['impact'],
  labels: ['monero-mining'],
  confidence: 50,
  basedOn: obs.barjuok,
  indicates: [[cp.c1, 60, 'Pool host of the KSU-linked miner.'], [mw.installer, 60, 'Configured in the installer.'], [infra.ksu, 70, 'The endpoint is this hostname.'], [ap.computeHijacking, 50, 'Traffic to a mining pool suggests compute hijacking.']],
  sources: ['securityweek-miner', 'cointelegraph-miner', 'yara-doman'],
});
for (const [key, sha, n] of [
  ['nk-miner-sample-1', '0024e32c0199ded445c0b968601f21cc92fc0c534d2642f2dd64c1c978ff01f3', 1],
  ['nk-miner-sample-2', '42300b6a09f183ae167d7a11d9c6df21d022a5f02df346350d3d875d557d3b76', 2],
]) {
  indicator(key, {
    name: `NK Monero miner sample ${n} (SHA-256)`,
    description: 'One of two SHA-256 values in Florian Roth\'s rule NK_Miner_Malware_Jan18_1 (2018-01-09) for the North Korean Monero miner from the AlienVault report. The rule does not say which value is the Dec 2017 installer and which a related sample [U].',
    types: ['malicious-activity'],
    pattern: `[file:hashes.'SHA-256' = '${sha}']`,
    validFrom: '2018-01-09',
    labels: ['monero-mining'],
    confidence: 60,
    basedOn: n === 1 ? obs.sha0024 : obs.sha4230,
    indicates: [[cp.c1, 60, 'Sample tied to the KSU-linked miner.'], [mw.installer, 40, 'May be the installer itself or a related sample [U].']],
    sources: ['neo23x0-nkminer', 'securityweek-miner'],
  });
}
indicator('intelservice-exe', {
  name: 'Miner dropped as fake Intel service (intelservice.exe)',
  description: 'File name under which the KSU-linked installer writes xmrig, in C:\\Windows\\Sys64. Kept to one comparison for SIEM matching: pair a hit with the Sys64 directory indicator, since the name alone could collide with unrelated software.',
  types: ['malicious-activity'],
  pattern: "[file:name = 'intelservice.exe']",
  validFrom: '2018-01-08',
  phases: ['defense-evasion'],
  labels: ['monero-mining'],
  confidence: 40,
  basedOn: obs.intelservice,
  indicates: [[mw.installer, 50, 'The installer drops this file.'], [tool.xmrig, 50, 'The file is xmrig.'], [ap.masquerade, 50, 'Name imitates Intel software.']],
  sources: ['yara-doman', 'securityweek-miner'],
});
indicator('sys64-directory', {
  name: 'Fake system folder C:\\Windows\\Sys64',
  description: 'Folder created by the KSU-linked installer for intelservice.exe and updater.exe. Windows has no Sys64 folder, so its presence is suspicious on its own.',
  types: ['malicious-activity'],
  pattern: "[directory:path = 'C:\\\\Windows\\\\Sys64']",
  validFrom: '2018-01-08',
  phases: ['defense-evasion'],
  labels: ['monero-mining'],
  confidence: 60,
  basedOn: obs.sys64,
  indicates: [[mw.installer, 60, 'The installer writes its files here.'], [cp.c1, 50, 'Artefact of the KSU-linked miner.'], [ap.masquerade, 50, 'Folder name imitates a system location.']],
  sources: ['yara-doman'],
});
indicator('softwaresinstall-directory', {
  name: 'Installer working folder C:\\SoftwaresInstall\\soft',
  description: 'Working folder named in AlienVault\'s YARA rule for the KSU-linked installer.',
  types: ['malicious-activity'],
  pattern: "[directory:path = 'C:\\\\SoftwaresInstall\\\\soft']",
  validFrom: '2018-01-08',
  labels: ['monero-mining'],
  confidence: 40,
  basedOn: obs.softInstall,
  indicates: [[mw.installer, 40, 'Working folder of the installer.']],
  sources: ['yara-doman'],
});
indicator('nk-ip-175-45-178-19', {
  name: 'North Korean address 175.45.178.19 (2014-15 attacks)',
  description: 'Address in North Korea\'s registered block that Reuters said AlienVault named and AhnLab tied to 2014-15 attacks on South Korean networks [S]; it was not confirmed in the AlienVault post [U]. Part of the North Korean space is used by foreign VPN providers, so treat a hit as context, not proof.',
  types: ['attribution', 'anomalous-activity'],
  pattern: "[ipv4-addr:value = '175.45.178.19']",
  validFrom: '2018-01-08',
  labels: ['nk-address-space'],
  confidence: 30,
  basedOn: obs.ip,
  indicates: [[ta.rgb, 30, 'Used in North Korean attacks per AhnLab (via Reuters) [S]; no group-level attribution.']],
  sources: ['nocutnews-reuters', 'taipeitimes-reuters', 'trendmicro-nk-internet'],
});
indicator('celasllc-domain', {
  name: 'AppleJeus fake company domain celasllc.com',
  description: 'Domain of "Celas", the fake company that distributed the trojanized Celas Trade Pro application in Operation AppleJeus (2018). Secondary sources give it [S]; an updater C2 path on it is unconfirmed and not included [U].',
  types: ['malicious-activity'],
  pattern: "[domain-name:value = 'celasllc.com']",
  validFrom: '2018-08-23',
  labels: ['applejeus'],
  confidence: 60,
  basedOn: obs.celas,
  indicates: [[cp.c9, 60, 'Distribution site of Operation AppleJeus.'], [infra.celas, 60, 'The fake company site.'], [mw.applejeus, 50, 'Delivered AppleJeus-trojanized software.']],
  sources: ['securelist-applejeus', 'cointrust-applejeus'],
});
indicator('applejeus-downloader-sha256', {
  name: 'AppleJeus downloader sample (SHA-256)',
  description: 'hash1 of the downloader rule in signature-base apt_lazarus_applejeus.yar (2018-08-24), which references the Kaspersky report. The sample\'s role is not stated [U], hence low confidence.',
  types: ['malicious-activity'],
  pattern: "[file:hashes.'SHA-256' = 'd555dcb6da4a6b87e256ef75c0150780b8a343c4a1e09935b0647f01d974d94d']",
  validFrom: '2018-08-24',
  labels: ['applejeus'],
  confidence: 30,
  basedOn: obs.shaD555,
  indicates: [[mw.applejeus, 30, 'Rule names it as an AppleJeus downloader sample [U].']],
  sources: ['signature-base-applejeus', 'securelist-applejeus'],
});
indicator('ksu-miner-monero-wallet', {
  name: 'Monero address in the KSU-linked miner',
  description: 'Monero address string in AlienVault\'s rule for the KSU-linked miner. The rule does not label it, but it has the form of a Monero address and press reports say the wallet was in the sample, so it is very likely the payout wallet [U]. Uses the feed\'s cryptocurrency-wallet SCO type (see its extension-definition).',
  types: ['malicious-activity'],
  pattern: "[cryptocurrency-wallet:value = '4JUdGzvrMFDWrUUwY3toJATSeNwjn54LkCnKBPRzDuhzi5vSepHfUckJNxRL2gjkNrSqtCoRUrEDAgRwsQvVCjZbRy5YeFCqgoUMnzumvS']",
  validFrom: '2018-01-08',
  labels: ['monero-mining', 'wallet'],
  confidence: 50,
  basedOn: obs.monero,
  indicates: [[cp.c1, 50, 'Likely payout wallet of the KSU-linked miner [U].'], [mw.installer, 50, 'Address string embedded in the samples.']],
  sources: ['yara-doman', 'securityweek-miner'],
});
indicator('ronin-exploiter-wallet', {
  name: 'Ronin bridge exploiter Ethereum address',
  description: 'Ethereum address that OFAC added to Lazarus Group\'s SDN entry on 14 Apr 2022 as the recipient of the Ronin bridge theft. Uses the feed\'s cryptocurrency-wallet SCO type (see its extension-definition).',
  types: ['malicious-activity', 'attribution'],
  pattern: "[cryptocurrency-wallet:value = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96']",
  validFrom: '2022-04-14',
  labels: ['ronin', 'wallet', 'ofac-sdn'],
  confidence: 85,
  basedOn: obs.ronin,
  indicates: [[cp.c11, 85, 'Received the Ronin theft proceeds.'], [is.lazarus, 85, 'OFAC lists the address under Lazarus Group.']],
  sources: ['coindaily-ronin', 'scmag-ronin'],
});

// ---------------------------------------------------------------------------------------------
// Reports: each ties together the context objects that cite the report's sources

const NOT_IN_REPORTS = new Set(['marking-definition', 'extension-definition', 'report']);
function report(key, name, published, description, sources, extraRefs = []) {
  const collect = new Set(sources);
  const refs = [];
  for (const [id, srcs] of provenance) {
    if (indicatorOnly.has(id) || id === FEED || NOT_IN_REPORTS.has(id.split('--')[0])) continue;
    if (srcs.some((s) => collect.has(s))) refs.push(id);
  }
  for (const r of extraRefs) if (!refs.includes(r)) refs.push(r);
  sdo('report', fixedId('report', key), {
    name,
    description,
    report_types: ['threat-report'],
    published: at(published),
    object_refs: refs,
  }, { sources, confidence: undefined });
}

// DPRK operations 2022-2026 (the 2022-2026 fact sheet): its objects, indicators and reports
authoring = AUTHORED_2026_12;

/** A withdrawn fact: a new version with revoked true (STIX 2.1 §3.6), never a removal, so consumers see it. */
function revoke(id, why) {
  const current = objects.get(id);
  objects.set(id, { ...current, modified: authoring, description: `${current.description} Revoked: ${why}`, revoked: true });
}
// The fact sheet marks the roles of the signature-base AppleJeus samples [U], and [U] items stay out of the feed.
const applejeusSample = fixedId('indicator', 'applejeus-downloader-sha256');
const APPLEJEUS_WHY = 'the fact sheet marks this sample [U] (its role is not stated), and the feed keeps [U] items out.';
for (const o of [...objects.values()]) {
  if (o.id === applejeusSample || (o.type === 'relationship' && o.source_ref === applejeusSample)) revoke(o.id, APPLEJEUS_WHY);
}

require('./feed-2022-2026')({
  SOURCES, sdo, sco, rel, indicator, report, fixedId, attack, at, wallet, is, ta, ap, cp,
});
authoring = AUTHORED;

report('alienvault-nk-monero-miner', 'AlienVault: A North Korean Monero Cryptocurrency Miner', '2018-01-08',
  'Chris Doman\'s analysis of the Dec 2017 installer that mines Monero through a Kim Il Sung University host, with the YARA rules that carry its strings and hashes. The post itself could not be retrieved; its content is known from press coverage and the rules [U for the URL]. Its full IOC list may hold more hashes and the Morocco-linked samples, which are not in this feed. Two further rule strings are kept out of the observables on purpose: a GUID that is probably a .NET project id [U] and a user profile path from the related samples.',
  ['alienvault-blog', 'securityweek-miner', 'cointelegraph-miner', 'scmag-miner', 'darkreading-miner', 'yara-doman', 'neo23x0-nkminer'],
  [idn.alienvault]);
report('reuters-nk-university-miner', 'Reuters via Taipei Times: crypto-mining software sends coins to North Korean university', '2018-01-10',
  'Reuters reprint covering the KSU-linked miner. ESTsecurity chief analyst Mun Chong-hyun said cryptocurrencies are the best way for sanctioned North Korea to earn foreign currency; Monero\'s one-time addresses make it harder to trace than bitcoin. The story also named IP 175.45.178.19 (via AlienVault and AhnLab). A claim from the founding articles that Bithumb is the largest Monero exchange (about 24% of volume) has no independent source [U].',
  ['taipeitimes-reuters', 'nocutnews-reuters'],
  [cp.c1, idn.ksu]);
report('fireeye-nk-bitcoin-2017', 'FireEye: Why Is North Korea So Interested in Bitcoin?', '2017-09-11',
  'Luke McNamara\'s post of 11 Sep 2017 (the day of the UN sanctions vote) on North Korean interest in cryptocurrency: phishing of South Korean exchanges with PEACHPIT, a 2016 bitcoin-news watering hole, and WannaCry ransom converted to Monero.',
  ['fireeye-2017', 'mandiant-2017', 'darkreading-fireeye', 'giga-fireeye', 'computing-fireeye', 'rsa2018-slides', 'techcentral-yapizon'],
  [cp.c4, mw.wannacry]);
report('recordedfuture-late-2017', 'Recorded Future: North Korea Targeted South Korean Cryptocurrency Users and Exchange in Late 2017 Campaign', '2018-01-16',
  'Insikt Group report dated 16 Jan 2018 per community notes [S]; its canonical URL was not found, so it is cited through press coverage and a Recorded Future podcast.',
  ['securityweek-rf', 'rttnews-rf', 'rf-podcast', 'ibtimes-coinlink'], [idn.recordedfuture]);
report('secureworks-nickel-academy', 'Secureworks: Lazarus spear-phishing of cryptocurrency firms (media alert)', '2017-12-15',
  'Secureworks media alert on CFO-job lures sent to cryptocurrency companies from Oct 2017.',
  ['secureworks-2017', 'scmaguk-secureworks']);
report('kaspersky-operation-applejeus', 'Kaspersky: Operation AppleJeus', '2018-08-23',
  'Kaspersky GReAT on the trojanized Celas Trade Pro application that infected an Asian exchange and delivered FALLCHILL.',
  ['securelist-applejeus', 'cointrust-applejeus', 'signature-base-applejeus']);
report('cisa-aa21-048a', 'CISA/FBI/Treasury AA21-048A: AppleJeus: Analysis of North Korea\'s Cryptocurrency Malware', '2021-02-17',
  'Joint US advisory describing seven AppleJeus versions and attributing them to Lazarus Group.',
  ['cisa-aa21-048a', 'executivegov-aa21'], [is.lazarus, mw.applejeus]);
report('cisa-aa22-108a', 'CISA/FBI/Treasury AA22-108A: TraderTraitor', '2022-04-18',
  'Joint US advisory (TLP:WHITE) on TraderTraitor: social engineering and trojanized cryptocurrency applications aimed at blockchain firms.',
  ['readkong-aa22', 'executivebiz-aa22', 'cisa-aa22-108a'], [idn.cisa, is.lazarus, is.apt38]);
report('un-poe-s-2019-691', 'UN Panel of Experts midterm report S/2019/691', '2019-08-30',
  'UN Panel of Experts report of 30 Aug 2019 covering the KSU-linked miner, Andariel cryptojacking and exchange thefts including Bithumb 2018 (p. 29). Seen through community notes [S].',
  ['undocs-s2019691'], [cp.c5]);
report('bloomberg-andariel-cryptojacking', 'Bloomberg: North Korean hackers hijack computers to mine cryptocurrencies', '2018-01-02',
  'FSI analyst Kwak Kyoung-ju on Andariel mining Monero on a hijacked South Korean server [S].',
  ['bloomberg-fsi', 'otx-andariel'], [is.andariel, loc.kr]);
report('treasury-sm774-rgb', 'US Treasury: sanctions on North Korean state-sponsored cyber groups (sm774)', '2019-09-13',
  'Treasury press release naming Lazarus Group, Bluenoroff and Andariel as controlled by the RGB.',
  ['treasury-sm774'], [is.lazarus, is.apt38, is.andariel]);

// ---------------------------------------------------------------------------------------------
// Collections

function refsOf(value, out = []) {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('_ref') && typeof v === 'string') out.push(v);
      else if (k.endsWith('_refs') && Array.isArray(v)) out.push(...v.filter((x) => typeof x === 'string'));
      else if (k === 'extensions' && v && typeof v === 'object') {
        out.push(...Object.keys(v).filter((x) => x.startsWith('extension-definition--')));
        refsOf(v, out);
      } else refsOf(v, out);
    }
  }
  return out;
}

const all = new Map([...THIRD_PARTY.map((o) => [o.id, o]), ...objects]);

function closure(rootIds) {
  const seen = new Set();
  const stack = [...rootIds];
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id)) continue;
    const obj = all.get(id);
    if (!obj) throw new Error(`dangling reference ${id}`);
    seen.add(id);
    stack.push(...refsOf(obj));
  }
  return seen;
}

const ORDER = ['marking-definition', 'extension-definition', 'identity', 'location', 'threat-actor', 'intrusion-set', 'campaign',
  'malware', 'tool', 'vulnerability', 'attack-pattern', 'infrastructure', 'indicator', 'note', 'report', 'relationship'];
const rank = (o) => (ORDER.includes(o.type) ? ORDER.indexOf(o.type) : ORDER.indexOf('infrastructure') + 0.5);
const position = new Map([...all.keys()].map((id, i) => [id, i]));

function collection(ids) {
  return [...ids].map((id) => all.get(id)).sort((a, b) => rank(a) - rank(b) || position.get(a.id) - position.get(b.id));
}

const indicatorRoots = [...indicatorOnly];
const contextRoots = [...objects.keys()].filter((id) => !indicatorOnly.has(id));
const WALLET_TYPE_DEFINITION = WALLET_EXTENSION;

/** What a firewall or SIEM can take whole: current malicious-activity indicators of high confidence with a verified source. */
const BLOCKLIST_MIN_CONFIDENCE = 75;
const verified = (o) => (o.external_references || []).some((r) => String(r.description || '').startsWith('[V]'));
const blocklistRoots = [...objects.values()]
  .filter((o) => o.type === 'indicator' && !o.revoked && o.confidence >= BLOCKLIST_MIN_CONFIDENCE && o.indicator_types.includes('malicious-activity') && verified(o))
  .map((o) => o.id);

const COLLECTIONS = {
  'dprk-crypto-indicators': collection(closure(indicatorRoots)),
  'dprk-crypto-context': collection(closure(contextRoots)),
  // The wallet extension-definition is included so that consumers of this collection alone can read
  // the cryptocurrency-wallet patterns.
  'dprk-crypto-blocklist': collection(closure([...blocklistRoots, WALLET_TYPE_DEFINITION])),
};

/** The configured collections (config/default.yaml), as the README's feed table shows them. */
const COLLECTION_TABLE = [
  ['9e1c64aa-cd63-4638-a602-0851a3e96433', 'dprk-crypto-indicators', 'every indicator (one-comparison STIX patterns), the observables they are based on, what they indicate, and everything those refer to', 'read', 'no'],
  ['bd9b32fb-cad6-4c62-958a-9f5a97a2f6b4', 'dprk-crypto-blocklist', `indicators only: the current ${'`malicious-activity`'} indicators with confidence ${BLOCKLIST_MIN_CONFIDENCE} or more and a verified source, with the identities, markings and extension-definitions they need`, 'read', 'no'],
  ['da5454b4-504e-42fd-96c8-a62c66ab6867', 'dprk-crypto-context', 'intrusion sets, threat actors, campaigns, malware, tools, infrastructure, identities, locations, reports, relationships, observables', 'read', 'no'],
  ['fcf1a372-5b4f-4ba8-aaaa-327f129357a2', 'curator-inbox', 'what curators post, for review', 'no', 'administrators and writers'],
];

// ---------------------------------------------------------------------------------------------
// Published versions: an object's content may change only with a new version (STIX 2.1 §3.6)

const versionOf = (o) => o.modified || o.created;
const digest = (o) => crypto.createHash('sha256').update(canonicalize(o)).digest('hex').slice(0, 16);
const ledger = fs.existsSync(LEDGER_FILE) ? JSON.parse(fs.readFileSync(LEDGER_FILE, 'utf8')) : {};
for (const o of all.values()) {
  const version = versionOf(o);
  if (!version) continue;
  const key = `${o.id}@${version}`;
  const h = digest(o);
  if (ledger[key] && ledger[key] !== h) {
    throw new Error(`${o.id} changed but its version ${version} did not: give it a new modified (a changed fact is a new version; a withdrawn one is revoked)`);
  }
  ledger[key] = h;
}

// ---------------------------------------------------------------------------------------------
// Output

function countsTable(heading) {
  const lines = [];
  for (const alias of Object.keys(COLLECTIONS).sort()) {
    const objs = COLLECTIONS[alias];
    const counts = {};
    for (const o of objs) counts[o.type] = (counts[o.type] || 0) + 1;
    lines.push(heading(alias, objs.length), '', '| type | count |', '| --- | ---: |');
    for (const t of Object.keys(counts).sort()) lines.push(`| ${t} | ${counts[t]} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function feedSection() {
  const indicators = COLLECTIONS['dprk-crypto-indicators'].filter((o) => o.type === 'indicator' && !o.revoked).length;
  const blocklist = COLLECTIONS['dprk-crypto-blocklist'].filter((o) => o.type === 'indicator').length;
  return `
## The feed

The curated feed lives in \`seed/\` (STIX 2.1 bundles with fixed identifiers, so a SIEM that re-polls after a
reinstall sees no duplicates) and is loaded at every start. It covers DPRK cryptocurrency operations from
2017 to 2026: ${indicators} current indicators, each with the source that published its value. Every object is sourced
(\`external_references\` with the URL of the report it comes from), created by the feed's own identity, and
marked TLP:CLEAR (TLP 2.0) and TLP:WHITE (TLP 1.0, for consumers that only know those). How the content
was built, how the collections are cut, and what was left out and why: \`seed/README.md\`.

| collection | alias | what it holds | anonymous | writable |
| --- | --- | --- | --- | --- |
${COLLECTION_TABLE.map(([id, alias, what, anon, write]) => `| \`${id}\` | \`${alias}\` | ${what} | ${anon} | ${write} |`).join('\n')}

A firewall or SIEM that wants only what is safe to alert on takes \`dprk-crypto-blocklist\` whole (${blocklist}
indicators); \`dprk-crypto-indicators\` adds the lower-confidence, secondary-source and \`anomalous-activity\` ones
(third-party cash-out wallets) and the objects a platform needs to explain a hit.

Objects per type (newest versions; generated by \`seed/tools/build-feed.js\`, and a test compares these tables
with what the server serves):

${countsTable((alias) => `**${alias}**`)}
**curator-inbox**: empty until curators post.

The indicators a SIEM would match on (every indicator with its pattern; follow \`next\` for the following pages):

\`\`\`sh
curl -s -g -H 'Accept: application/taxii+json;version=2.1' \\
  'http://127.0.0.1:8000/feed/collections/dprk-crypto-indicators/objects/?match[type]=indicator'
\`\`\`

Write a collection back out as a STIX bundle: \`node dist/src/cli.js export --collection dprk-crypto-context -o context.json\`.
`;
}

/** One object per line, each compact: the server stores and serves each object as written here. */
function bundleText(alias, objs) {
  return `{"type":"bundle","id":"${fixedId('bundle', alias)}","objects":[\n${objs.map((o) => JSON.stringify(o)).join(',\n')}\n]}\n`;
}

function between(text, start, end, content) {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`markers ${start} ... ${end} not found`);
  return `${text.slice(0, i + start.length)}\n${content}${text.slice(j)}`;
}

function outputs() {
  const files = {};
  for (const [alias, objs] of Object.entries(COLLECTIONS)) files[path.join('seed', alias, `${alias}.json`)] = bundleText(alias, objs);
  const seedReadme = fs.readFileSync(path.join(SEED_DIR, 'README.md'), 'utf8');
  files[path.join('seed', 'README.md')] = between(seedReadme, '<!-- counts:start -->', '<!-- counts:end -->',
    countsTable((alias, n) => `**${alias}** (${n} objects)`));
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  files['README.md'] = between(readme, '<!-- feed:start -->', '<!-- feed:end -->', feedSection());
  files[path.join('seed', 'tools', 'published.json')] = `${JSON.stringify(Object.fromEntries(Object.entries(ledger).sort()), null, 1)}\n`;
  return files;
}

function main() {
  const files = outputs();
  if (MINT && minted) fs.writeFileSync(IDS_FILE, `${JSON.stringify(Object.fromEntries(Object.entries(ids).sort()), null, 2)}\n`);
  let differ = 0;
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(OUT_ROOT, rel);
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (current === content) continue;
    differ += 1;
    if (CHECK) process.stderr.write(`out of date: ${rel.split(path.sep).join('/')}\n`);
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
  }
  if (CHECK && differ) process.exit(1);
  for (const [alias, objs] of Object.entries(COLLECTIONS)) process.stdout.write(`${alias}: ${objs.length} objects\n`);
  if (minted) process.stdout.write(`minted ${minted} new ids\n`);
}

module.exports = { canonicalize, uuidv5, scoId, COLLECTIONS, SCO_NAMESPACE, BLOCKLIST_MIN_CONFIDENCE };

if (require.main === module) main();
