/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for the tests: every line is a HELP,
 * a TYPE or a sample of a declared family; label values are properly escaped; histogram buckets are
 * cumulative and end in +Inf equal to _count. Throws on anything else.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, i) => {
    const at = `line ${i + 1} (${line.slice(0, 80)})`;
    if (line === '') return;
    if (line.startsWith('# HELP ')) {
      const [name, ...help] = line.slice(7).split(' ');
      if (!NAME.test(name!)) throw new Error(`${at}: bad metric name`);
      const f = families.get(name!) ?? { name: name!, type: 'untyped' as const, help: '', samples: [] };
      f.help = help.join(' ');
      families.set(name!, f);
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const [name, type, ...rest] = line.slice(7).split(' ');
      if (!NAME.test(name!) || rest.length || !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type!)) throw new Error(`${at}: bad TYPE line`);
      const f = families.get(name!) ?? { name: name!, type: 'untyped' as const, help: '', samples: [] };
      if (f.samples.length) throw new Error(`${at}: TYPE after samples`);
      f.type = type as Family['type'];
      families.set(name!, f);
      return;
    }
    if (line.startsWith('#')) return;
    const sample = parseSample(line, at);
    const family = familyOf(families, sample.name);
    if (!family) throw new Error(`${at}: sample of an undeclared metric`);
    family.samples.push(sample);
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function familyOf(families: Map<string, Family>, sample: string): Family | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (sample.endsWith(suffix)) {
      const f = families.get(sample.slice(0, -suffix.length));
      if (f && (f.type === 'histogram' || f.type === 'summary')) return f;
    }
  }
  return undefined;
}

function parseSample(line: string, at: string): Sample {
  let i = 0;
  while (i < line.length && line[i] !== '{' && line[i] !== ' ') i++;
  const name = line.slice(0, i);
  if (!NAME.test(name)) throw new Error(`${at}: bad sample name`);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const eq = line.indexOf('=', i);
      const key = line.slice(i, eq);
      if (eq < 0 || !LABEL.test(key) || line[eq + 1] !== '"') throw new Error(`${at}: bad label`);
      let j = eq + 2;
      let value = '';
      for (;;) {
        const c = line[j];
        if (c === undefined) throw new Error(`${at}: unterminated label value`);
        if (c === '"') break;
        if (c === '\\') {
          const n = line[j + 1];
          if (n === 'n') value += '\n';
          else if (n === '\\' || n === '"') value += n;
          else throw new Error(`${at}: bad escape`);
          j += 2;
        } else {
          value += c;
          j++;
        }
      }
      if (key in labels) throw new Error(`${at}: repeated label ${key}`);
      labels[key] = value;
      i = j + 1;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`${at}: expected , or }`);
    }
    i++;
  }
  if (line[i] !== ' ') throw new Error(`${at}: expected a space before the value`);
  const parts = line.slice(i + 1).split(' ');
  if (parts.length > 2 || (parts[1] !== undefined && !/^-?\d+$/.test(parts[1]))) throw new Error(`${at}: bad value or timestamp`);
  const raw = parts[0]!;
  // Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any letter case; prom-client
  // writes an empty summary's NaN as "Nan".
  if (!/^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf|nan)$/i.test(raw)) throw new Error(`${at}: bad number ${raw}`);
  const value = /^nan$/i.test(raw) ? NaN : /^\+?inf$/i.test(raw) ? Infinity : /^-inf$/i.test(raw) ? -Infinity : Number(raw);
  return { name, labels, value };
}

function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: Array<[number, number]>; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const e = series.get(key) ?? { buckets: [] };
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      e.buckets.push([le === '+Inf' ? Infinity : Number(le), s.value]);
    } else if (s.name === `${f.name}_count`) e.count = s.value;
    series.set(key, e);
  }
  for (const [key, e] of series) {
    for (let i = 1; i < e.buckets.length; i++) {
      if (!(e.buckets[i]![0] > e.buckets[i - 1]![0]) || e.buckets[i]![1] < e.buckets[i - 1]![1]) throw new Error(`${f.name}${key}: buckets not cumulative and ascending`);
    }
    const last = e.buckets[e.buckets.length - 1];
    if (!last || last[0] !== Infinity || last[1] !== e.count) throw new Error(`${f.name}${key}: the +Inf bucket must equal _count`);
  }
}

/** The sum of the samples of that name whose labels include `labels` (0 when there is none yet). */
export function valueOf(families: Map<string, Family>, sample: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += s.value;
    }
  }
  return sum;
}
