/**
 * STIX 2.1 §10 open vocabularies. A value outside the suggested list is allowed (warning only);
 * the closed enumerations (§10 "-enum") are enforced by the JSON Schemas instead.
 */

const v = (...values: string[]): ReadonlySet<string> => new Set(values);

export const OPEN_VOCABULARIES = {
  'account-type-ov': v('facebook', 'ldap', 'nis', 'openid', 'radius', 'skype', 'tacacs', 'twitter', 'unix', 'windows-local', 'windows-domain'),
  'attack-motivation-ov': v('accidental', 'coercion', 'dominance', 'ideology', 'notoriety', 'organizational-gain', 'personal-gain',
    'personal-satisfaction', 'revenge', 'unpredictable'),
  'attack-resource-level-ov': v('individual', 'club', 'contest', 'team', 'organization', 'government'),
  'grouping-context-ov': v('suspicious-activity', 'malware-analysis', 'unspecified'),
  'hash-algorithm-ov': v('MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512', 'SSDEEP', 'TLSH'),
  'identity-class-ov': v('individual', 'group', 'system', 'organization', 'class', 'unknown'),
  'implementation-language-ov': v('applescript', 'bash', 'c', 'c++', 'c#', 'go', 'java', 'javascript', 'lua', 'objective-c', 'perl', 'php',
    'powershell', 'python', 'ruby', 'scala', 'swift', 'typescript', 'visual-basic', 'x86-32', 'x86-64'),
  'indicator-type-ov': v('anomalous-activity', 'anonymization', 'benign', 'compromised', 'malicious-activity', 'attribution', 'unknown'),
  'industry-sector-ov': v('agriculture', 'aerospace', 'automotive', 'chemical', 'commercial', 'communications', 'construction', 'defense',
    'education', 'energy', 'entertainment', 'financial-services', 'government', 'emergency-services', 'government-local',
    'government-national', 'government-public-services', 'government-regional', 'healthcare', 'hospitality-leisure', 'infrastructure',
    'dams', 'nuclear', 'water', 'insurance', 'manufacturing', 'mining', 'non-profit', 'pharmaceuticals', 'retail', 'technology',
    'telecommunications', 'transportation', 'utilities'),
  'infrastructure-type-ov': v('amplification', 'anonymization', 'botnet', 'command-and-control', 'control-system', 'exfiltration', 'firewall',
    'hosting-malware', 'hosting-target-lists', 'phishing', 'reconnaissance', 'routers-switches', 'staging', 'workstation', 'unknown'),
  'malware-result-ov': v('malicious', 'suspicious', 'benign', 'unknown'),
  'malware-capabilities-ov': v('accesses-remote-machines', 'anti-debugging', 'anti-disassembly', 'anti-emulation', 'anti-memory-forensics',
    'anti-sandbox', 'anti-vm', 'captures-input-peripherals', 'captures-output-peripherals', 'captures-system-state-data',
    'cleans-traces-of-infection', 'commits-fraud', 'communicates-with-c2', 'compromises-data-availability', 'compromises-data-integrity',
    'compromises-system-availability', 'controls-local-machine', 'degrades-security-software', 'degrades-system-updates',
    'determines-c2-server', 'emails-spam', 'escalates-privileges', 'evades-av', 'exfiltrates-data', 'fingerprints-host', 'hides-artifacts',
    'hides-executing-code', 'infects-files', 'infects-remote-machines', 'installs-other-components', 'persists-after-system-reboot',
    'prevents-artifact-access', 'prevents-artifact-deletion', 'probes-network-environment', 'self-modifies',
    'steals-authentication-credentials', 'violates-system-operational-integrity'),
  'malware-type-ov': v('adware', 'backdoor', 'bot', 'bootkit', 'ddos', 'downloader', 'dropper', 'exploit-kit', 'keylogger', 'ransomware',
    'remote-access-trojan', 'resource-exploitation', 'rogue-security-software', 'rootkit', 'screen-capture', 'spyware', 'trojan',
    'unknown', 'virus', 'webshell', 'wiper', 'worm'),
  'pattern-type-ov': v('stix', 'pcre', 'sigma', 'snort', 'suricata', 'yara'),
  'processor-architecture-ov': v('alpha', 'arm', 'ia-64', 'mips', 'powerpc', 'sparc', 'x86', 'x86-64'),
  'region-ov': v('africa', 'eastern-africa', 'middle-africa', 'northern-africa', 'southern-africa', 'western-africa', 'americas',
    'caribbean', 'central-america', 'latin-america-caribbean', 'northern-america', 'south-america', 'asia', 'central-asia',
    'eastern-asia', 'southern-asia', 'south-eastern-asia', 'western-asia', 'europe', 'eastern-europe', 'northern-europe',
    'southern-europe', 'western-europe', 'middle-east', 'oceania', 'antarctica', 'australia-new-zealand', 'melanesia', 'micronesia',
    'polynesia'),
  'report-type-ov': v('attack-pattern', 'campaign', 'identity', 'indicator', 'intrusion-set', 'malware', 'observed-data', 'threat-actor',
    'threat-report', 'tool', 'vulnerability'),
  'threat-actor-type-ov': v('activist', 'competitor', 'crime-syndicate', 'criminal', 'hacker', 'insider-accidental', 'insider-disgruntled',
    'nation-state', 'sensationalist', 'spy', 'terrorist', 'unknown'),
  'threat-actor-role-ov': v('agent', 'director', 'independent', 'infrastructure-architect', 'infrastructure-operator', 'malware-author', 'sponsor'),
  'threat-actor-sophistication-ov': v('none', 'minimal', 'intermediate', 'advanced', 'expert', 'innovator', 'strategic'),
  'tool-type-ov': v('denial-of-service', 'exploitation', 'information-gathering', 'network-capture', 'credential-exploitation',
    'remote-access', 'vulnerability-scanning', 'unknown'),
  'windows-pebinary-type-ov': v('dll', 'exe', 'sys'),
} as const;

export type OpenVocabularyName = keyof typeof OPEN_VOCABULARIES;

/** Which top-level property of which type draws on which open vocabulary (§4–§6 property tables). */
export const VOCABULARY_PROPERTIES: Readonly<Record<string, Readonly<Record<string, OpenVocabularyName>>>> = {
  grouping: { context: 'grouping-context-ov' },
  identity: { identity_class: 'identity-class-ov', sectors: 'industry-sector-ov' },
  indicator: { indicator_types: 'indicator-type-ov', pattern_type: 'pattern-type-ov' },
  infrastructure: { infrastructure_types: 'infrastructure-type-ov' },
  'intrusion-set': { resource_level: 'attack-resource-level-ov', primary_motivation: 'attack-motivation-ov', secondary_motivations: 'attack-motivation-ov' },
  location: { region: 'region-ov' },
  malware: {
    malware_types: 'malware-type-ov', architecture_execution_envs: 'processor-architecture-ov',
    implementation_languages: 'implementation-language-ov', capabilities: 'malware-capabilities-ov',
  },
  'malware-analysis': { result: 'malware-result-ov' },
  report: { report_types: 'report-type-ov' },
  'threat-actor': {
    threat_actor_types: 'threat-actor-type-ov', roles: 'threat-actor-role-ov', sophistication: 'threat-actor-sophistication-ov',
    resource_level: 'attack-resource-level-ov', primary_motivation: 'attack-motivation-ov', secondary_motivations: 'attack-motivation-ov',
    personal_motivations: 'attack-motivation-ov',
  },
  tool: { tool_types: 'tool-type-ov' },
  'user-account': { account_type: 'account-type-ov' },
};
