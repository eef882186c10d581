import * as os from 'node:os';
import { Command, Option } from 'commander';
import type { ReviewInboxConfig } from '../config/config';
import { DomainError, NotFoundError } from '../domain/errors';
import { microsToTimestamp } from '../common/time';
import { cliDescription } from '../review/errors';
import { provenanceResource, submissionResource, SUBMISSION_STATES, type Submission } from '../review/model';
import type { Runtime } from '../server';
import type { Principal } from '../taxii/access';
import { userPrincipalId } from '../taxii/token-service';
import { defaultIo, usageFailure, withRuntime, type AdminIo } from './admin-commands';
import { EXIT } from './exit';

class CliError extends Error {}

const EXAMPLES = `
Examples:
  $ dprk-taxii review list                                   # pending submissions of the inbox
  $ dprk-taxii review list --state rejected --submitter alice
  $ ID=$(dprk-taxii review list --json | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].id')
  $ dprk-taxii review show "$ID"                             # the object, and a diff against the published version
  $ dprk-taxii review approve "$ID" --note "matches the vendor report"
  $ dprk-taxii review approve "$ID" --into dprk-crypto-context --with-referenced
  $ dprk-taxii review reject "$ID" --reason "no public source for this address"
  $ dprk-taxii review withdraw "$ID" --as alice
  $ dprk-taxii review provenance dprk-crypto-indicators indicator--3e1b0c4e-7f61-4c1e-9f49-5b7e1ad0c002

Without --as, a command acts as the local operator (cli:<os user>), an administrator: every right, no TLP
limit, never the submitter (so the four-eyes rule never stops it). With --as <user> it acts as that user:
the user's grants, clearance and four-eyes rule apply, and the audit log names both.`;

/** review list|show|approve|reject|withdraw: the curators' review workflow (src/review/README.md). */
export function registerReviewCommands(program: Command, io: AdminIo = defaultIo): void {
  // No review command judges STIX content (that was done when it was submitted), so every failure, a
  // refused or unknown review action as much as a configuration or database that cannot be opened, is a
  // usage error (2). The review service words its refusals for the API; cliDescription says them in
  // the terms of these commands.
  const run = withRuntime(io, (e) => {
    if (e instanceof CliError) return { message: e.message, code: EXIT.usage };
    if (e instanceof DomainError) return { message: cliDescription(e), code: EXIT.usage };
    return usageFailure(e);
  });
  const asOption = () => new Option('--as <user>', 'act as this user (its grants, clearance and the four-eyes rule apply)');

  const review = program
    .command('review')
    .description("the curators' review workflow: submissions posted to a review inbox, approved into the published collections")
    .addHelpText('after', EXAMPLES);

  review
    .command('list')
    .description('list submissions in arrival order (pending ones unless --state says otherwise)')
    .option('--inbox <collection>', 'the review inbox (id or alias); needed only when several are configured')
    .option('--state <states>', `comma-separated: ${SUBMISSION_STATES.join(', ')}, or all`, 'pending')
    .option('--type <types>', 'comma-separated STIX types')
    .option('--submitter <name>', 'only what this user or token submitted')
    .option('--limit <n>', 'at most this many', '1000')
    .option('--json', 'print a JSON array of submissions (with their ids) for scripts')
    .addOption(asOption())
    .action(
      run(async (rt, o: { inbox?: string; state: string; type?: string; submitter?: string; limit: string; json?: boolean; as?: string }) => {
        if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1) throw new CliError('--limit must be a positive integer');
        const unknown = o.state === 'all' ? [] : o.state.split(',').map((x) => x.trim()).filter((x) => !(SUBMISSION_STATES as readonly string[]).includes(x));
        if (unknown.length) throw new CliError(`--state "${o.state}": ${unknown.map((x) => `"${x}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not one of ${SUBMISSION_STATES.join(', ')}, or all`);
        const { principal } = await actorFor(rt, o.as);
        const inbox = inboxFor(rt, o.inbox);
        await mayReview(rt, o.as, principal, inbox.apiRoot, inbox.inboxId);
        const wanted = Number(o.limit);
        const items: Submission[] = [];
        let next: string | undefined;
        do {
          const page = await rt.services.review.list(principal, inbox.apiRoot, {
            inbox: inbox.inboxId,
            state: o.state === 'all' ? undefined : o.state,
            type: o.type,
            submitter: o.submitter,
            limit: Math.min(1000, wanted - items.length),
            next,
          });
          items.push(...page.items);
          next = page.next;
        } while (next && items.length < wanted);
        if (o.json) return io.out(JSON.stringify(items.map(submissionResource), null, 2));
        if (!items.length) return io.out(`no ${o.state === 'all' ? '' : `${o.state} `}submissions`);
        for (const s of items) io.out(line(rt, s));
      }),
    );

  review
    .command('show')
    .description('print a submission, its object, and for a new version the differences from the published one')
    .argument('<submission>', 'submission id')
    .option('--json', 'print the submission, its object and the published versions as JSON')
    .addOption(asOption())
    .action(
      run(async (rt, id: string, o: { json?: boolean; as?: string }) => {
        const { principal } = await actorFor(rt, o.as);
        const d = await rt.services.review.show(principal, (await inboxOf(rt, [id], o.as, principal)).apiRoot, id);
        if (o.json) {
          return io.out(JSON.stringify({ ...submissionResource(d.submission), object: JSON.parse(d.body), published: d.published.map((p) => ({ collection: p.collection, object: JSON.parse(p.body), diff: p.diff })) }, null, 2));
        }
        for (const [k, v] of Object.entries(submissionResource(d.submission))) io.out(`${k.padEnd(15)}${String(v)}`);
        io.out('');
        io.out(JSON.stringify(JSON.parse(d.body), null, 2));
        if (!d.published.length) io.out('\nnot published yet in any collection you may read: a new object');
        for (const p of d.published) {
          io.out(`\nagainst the version published in ${p.collection}:`);
          for (const l of p.diff.length ? p.diff : ['(identical)']) io.out(`  ${l}`);
        }
      }),
    );

  review
    .command('approve')
    .description('publish pending submissions: their exact stored bytes are added to the target collection in one transaction')
    .argument('<submission...>', 'submission ids')
    .option('--into <collection>', 'target collection; optional when the inbox publishes into one collection or routes the type')
    .option('--note <text>', 'kept with the provenance of what is published')
    .option('--with-referenced', 'also approve the pending submissions of objects they refer to that the target lacks')
    .option('--json', 'print what was published as JSON')
    .addOption(asOption())
    .action(
      run(async (rt, ids: string[], o: { into?: string; note?: string; withReferenced?: boolean; json?: boolean; as?: string }) => {
        const { principal, auditActor } = await actorFor(rt, o.as);
        const inbox = await inboxOf(rt, ids, o.as, principal);
        if (o.into !== undefined && !inbox.targets.some((t) => t.collectionId === o.into!.toLowerCase() || name(rt, t.collectionId) === o.into)) {
          throw new CliError(`--into "${o.into}" is not a collection that ${name(rt, inbox.inboxId)} publishes into; it publishes into: ${inbox.targets.map((t) => name(rt, t.collectionId)).join(', ')}`);
        }
        const done = await rt.services.review.approve(principal, inbox.apiRoot, { submissions: ids, into: o.into, note: o.note, includeReferenced: o.withReferenced }, { remoteAddr: 'local', auditActor });
        const rows = done.map((p) => ({ submission: p.submissionId, object_id: p.stixId, version: p.version, published_into: name(rt, p.into), date_added: p.dateAddedUs === undefined ? undefined : microsToTimestamp(p.dateAddedUs) }));
        if (o.json) return io.out(JSON.stringify(rows, null, 2));
        for (const r of rows) io.out(`approved ${r.submission}: ${r.object_id} ${r.version} -> ${r.published_into}${r.date_added ? ` (date_added ${r.date_added})` : ' (already published)'}`);
      }),
    );

  review
    .command('provenance')
    .description('which approvals published the versions of an object into a collection: who, when, from which submission, with which note')
    .argument('<collection>', 'collection id or alias')
    .argument('<object-id>', 'STIX id')
    .option('--json', 'print the provenance as JSON')
    .addOption(asOption())
    .action(
      run(async (rt, collection: string, objectId: string, o: { json?: boolean; as?: string }) => {
        const { principal } = await actorFor(rt, o.as);
        const root = rt.config.apiRoots.find((r) => r.collections.some((c) => c.id === collection.toLowerCase() || c.alias === collection));
        if (!root) throw new CliError(`no collection "${collection}" is configured; the configured ones are: ${configured(rt)}`);
        await mayRead(rt, o.as, principal, root.path, collection);
        const found = await rt.services.review.provenance(principal, root.path, collection, objectId);
        if (o.json) return io.out(JSON.stringify(found.map(provenanceResource), null, 2));
        for (const p of found) {
          io.out([p.version, `date_added ${microsToTimestamp(p.dateAddedUs)}`, `approved by ${p.approvedBy.name} at ${new Date(p.approvedAtMs).toISOString()}`, p.submissionId ? `submission ${p.submissionId}` : '', p.note ?? ''].join('\t').trimEnd());
        }
      }),
    );

  review
    .command('reject')
    .description('reject pending submissions; the submitter reads the reason on the submission and in the status of its POST')
    .argument('<submission...>', 'submission ids')
    .requiredOption('--reason <text>', 'why, for the submitter')
    .addOption(asOption())
    .action(
      run(async (rt, ids: string[], o: { reason: string; as?: string }) => {
        const { principal, auditActor } = await actorFor(rt, o.as);
        const done = await rt.services.review.reject(principal, (await inboxOf(rt, ids, o.as, principal)).apiRoot, { submissions: ids, reason: o.reason }, { remoteAddr: 'local', auditActor });
        for (const s of done) io.out(`rejected ${s.id}: ${s.stixId} ${s.version} (submitted by ${s.submitter.name})`);
      }),
    );

  review
    .command('withdraw')
    .description('withdraw pending submissions; only their submitter may (use --as <submitter>)')
    .argument('<submission...>', 'submission ids')
    .addOption(asOption())
    .action(
      run(async (rt, ids: string[], o: { as?: string }) => {
        const { principal, auditActor } = await actorFor(rt, o.as);
        const done = await rt.services.review.withdraw(principal, (await inboxOf(rt, ids, o.as, principal)).apiRoot, { submissions: ids }, { remoteAddr: 'local', auditActor });
        for (const s of done) io.out(`withdrew ${s.id}: ${s.stixId} ${s.version}`);
      }),
    );

  for (const c of review.commands) c.addHelpText('after', EXAMPLES);
}

function operator(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

async function actorFor(rt: Runtime, as: string | undefined): Promise<{ principal: Principal; auditActor: string }> {
  const op = operator();
  if (as === undefined) return { principal: { id: op, name: op, kind: 'user', isAdmin: true, maxTlp: 'red' }, auditActor: op };
  const u = await rt.stores.users.findByName(as);
  if (!u) throw new CliError(`no user "${as}" (see: user list)`);
  if (u.disabled) throw new CliError(`user "${as}" is disabled`);
  const principal: Principal = { id: userPrincipalId(u.id), name: u.username, kind: 'user', isAdmin: u.isAdmin, maxTlp: u.maxTlp };
  return { principal, auditActor: `${u.username} (${principal.id}) via ${op}` };
}

function inboxFor(rt: Runtime, name: string | undefined) {
  const inboxes = rt.config.review.inboxes;
  const label = (id: string) => rt.config.apiRoots.flatMap((r) => r.collections).find((c) => c.id === id)?.alias ?? id;
  if (!inboxes.length) throw new CliError('no review inbox is configured (see "review" in the configuration file)');
  if (name === undefined) {
    if (inboxes.length > 1) throw new CliError(`several review inboxes are configured; name one with --inbox: ${inboxes.map((i) => label(i.inboxId)).join(', ')}`);
    return inboxes[0]!;
  }
  const found = inboxes.find((i) => i.inboxId === name.toLowerCase() || label(i.inboxId) === name);
  if (!found) throw new CliError(`"${name}" is not a review inbox; the review inboxes are: ${inboxes.map((i) => label(i.inboxId)).join(', ')}`);
  return found;
}

/**
 * The review inbox of the submissions named on the command line: each must exist, all in one inbox (the
 * service acts on one inbox at a time), and with --as the user must be able to review it.
 */
async function inboxOf(rt: Runtime, ids: string[], as: string | undefined, principal: Principal): Promise<ReviewInboxConfig> {
  const inboxes = new Map<string, string[]>();
  const unknown: string[] = [];
  for (const id of new Set(ids)) {
    const inboxId = /^[0-9a-f-]{36}$/.test(id) ? await rt.stores.review.inboxOf(id) : undefined;
    if (!inboxId || !rt.config.review.inboxes.some((i) => i.inboxId === inboxId)) unknown.push(id);
    else inboxes.set(inboxId, [...(inboxes.get(inboxId) ?? []), id]);
  }
  if (unknown.length) throw new CliError(`no submission ${unknown.join(', ')} (see: review list --state all)`);
  if (inboxes.size > 1) {
    throw new CliError(`the submissions come from several review inboxes (${[...inboxes].map(([inbox, of]) => `${of.join(', ')} in ${name(rt, inbox)}`).join('; ')}); act on those of one inbox at a time`);
  }
  const inbox = rt.config.review.inboxes.find((i) => i.inboxId === [...inboxes.keys()][0])!;
  await mayReview(rt, as, principal, inbox.apiRoot, inbox.inboxId);
  return inbox;
}

/**
 * With --as: the user may review the inbox (read on it, or write for its own submissions). Checked here so
 * that the refusal names the grant command rather than the HTTP request the review service would name.
 */
async function mayReview(rt: Runtime, as: string | undefined, principal: Principal, root: string, inboxId: string): Promise<void> {
  if (as === undefined) return;
  const rights = await rightsOf(rt, principal, root, inboxId);
  if (!rights?.read && !rights?.write) {
    throw new CliError(`user "${as}" may not review ${name(rt, inboxId)}: it needs read on it (or write, for its own submissions); grant it with: grant ${as} ${name(rt, inboxId)} read`);
  }
}

/** With --as: the user may read the collection. */
async function mayRead(rt: Runtime, as: string | undefined, principal: Principal, root: string, collection: string): Promise<void> {
  if (as === undefined) return;
  if (!(await rightsOf(rt, principal, root, collection))?.read) throw new CliError(`user "${as}" may not read ${collection}; grant it with: grant ${as} ${collection} read`);
}

async function rightsOf(rt: Runtime, principal: Principal, root: string, collection: string): Promise<{ read: boolean; write: boolean } | undefined> {
  try {
    return (await rt.services.collections.resolve(principal, root, collection)).rights;
  } catch (e) {
    // A collection the user may not see at all: no rights.
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

function configured(rt: Runtime): string {
  return rt.config.apiRoots.flatMap((r) => r.collections.map((c) => c.alias ?? c.id)).join(', ');
}

function name(rt: Runtime, collectionId: string): string {
  return rt.config.apiRoots.flatMap((r) => r.collections).find((c) => c.id === collectionId)?.alias ?? collectionId;
}

function line(rt: Runtime, s: Submission): string {
  const outcome =
    s.state === 'approved' ? `-> ${name(rt, s.publishedInto ?? '')} by ${s.decidedBy?.name}` : s.state === 'rejected' ? `by ${s.decidedBy?.name}: ${s.reason}` : '';
  return [s.id, s.state, s.type, s.stixId, s.version, s.submitter.name, new Date(s.submittedAtMs).toISOString(), outcome].join('\t').trimEnd();
}
