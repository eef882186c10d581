/**
 * Validation throughput on one core: a realistic POST mix of indicators (each with its own STIX
 * pattern), SCOs with deterministic ids, and relationships. Target: at least 50,000 objects/s.
 */
import { computeScoId } from '../src/stix/ids';
import { createStixValidator } from '../src/stix/validator';

function uuid(n: number): string {
  const h = (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  const t = (n >>> 0).toString(16).padStart(12, '0');
  return `${h}-${t.slice(0, 4)}-4${t.slice(5, 8)}-8${t.slice(9, 12)}-${h}${t.slice(8, 12)}`;
}

function buildMix(count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const author = `identity--${uuid(1)}`;
  const malware = `malware--${uuid(2)}`;
  const marking = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
  for (let i = 0; out.length < count; i++) {
    const a = (i >> 8) & 255;
    const b = i & 255;
    const ip: Record<string, unknown> = { type: 'ipv4-addr', spec_version: '2.1', id: '', value: `10.${a}.${b}.7` };
    ip.id = computeScoId(ip);
    const dom: Record<string, unknown> = { type: 'domain-name', spec_version: '2.1', id: '', value: `host-${i}.example`, resolves_to_refs: [ip.id] };
    dom.id = computeScoId(dom);
    const file: Record<string, unknown> = { type: 'file', spec_version: '2.1', id: '', name: `dropper-${i}.exe`, size: 1000 + i, hashes: { 'SHA-256': i.toString(16).padStart(64, '0') } };
    file.id = computeScoId(file);
    const created = `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z`;
    const indicator = {
      type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(10 * i + 3)}`, created_by_ref: author, created, modified: created,
      name: `C2 domain host-${i}`, indicator_types: ['malicious-activity'], pattern_type: 'stix', valid_from: created, object_marking_refs: [marking],
      pattern: i % 3 === 0
        ? `[domain-name:value = 'host-${i}.example'] OR [ipv4-addr:value = '${String(ip.value)}']`
        : i % 3 === 1
          ? `[file:hashes.'SHA-256' = '${String((file.hashes as Record<string, string>)['SHA-256'])}' AND file:size > ${i}]`
          : `[network-traffic:dst_ref.value = '${String(ip.value)}' AND network-traffic:dst_port = 443] WITHIN 300 SECONDS`,
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
    };
    const rel = (n: number, src: unknown, type: string, dst: unknown): Record<string, unknown> => ({
      type: 'relationship', spec_version: '2.1', id: `relationship--${uuid(10 * i + n)}`, created_by_ref: author, created, modified: created,
      relationship_type: type, source_ref: src, target_ref: dst,
    });
    out.push(indicator, ip, dom, file, rel(4, indicator.id, 'indicates', malware), rel(5, indicator.id, 'based-on', dom.id), rel(6, dom.id, 'resolves-to', ip.id));
  }
  return out.slice(0, count);
}

export async function runValidationBench(opts: { seconds?: number } = {}): Promise<{ objectsPerSecond: number; objects: number }> {
  const seconds = opts.seconds ?? 3;
  const validator = createStixValidator();
  // 30,000 distinct patterns: more than the validator's pattern cache holds, so parsing cost is measured too.
  const mix = buildMix(210_000);
  const ctx = { allowCustom: false };
  // Warm-up so the JIT has compiled the hot paths before measuring.
  for (let i = 0; i < 20_000; i++) validator.validate(mix[i]!, ctx);
  let objects = 0;
  let invalid = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let i = 0;
  for (;;) {
    for (let k = 0; k < 1000; k++) {
      if (!validator.validate(mix[i]!, ctx).valid) invalid++;
      i = i + 1 === mix.length ? 0 : i + 1;
    }
    objects += 1000;
    if (process.hrtime.bigint() >= deadline) break;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (invalid > 0) throw new Error(`benchmark mix produced ${invalid} invalid objects`);
  await Promise.resolve();
  return { objectsPerSecond: Math.round(objects / elapsed), objects };
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 3);
  runValidationBench({ seconds }).then(
    (r) => console.log(`STIX validation: ${r.objectsPerSecond.toLocaleString('en-US')} objects/s (${r.objects.toLocaleString('en-US')} objects, one core)`),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
