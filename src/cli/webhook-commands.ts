import { Command } from 'commander';
import { DomainError, NotFoundError } from '../domain/errors';
import { microsToTimestamp, timestampToMicros } from '../common/time';
import { behindRetention, webhookResource, type SubscriptionTerms } from '../changes/webhook-service';
import { findCollection, SYSTEM, type Runtime } from '../server';
import type { Principal } from '../taxii/access';
import { userPrincipalId } from '../taxii/token-service';
import { defaultIo, usageFailure, withRuntime, type AdminIo } from './admin-commands';
import { EXIT } from './exit';

class CliError extends Error {}

/** What the subscription's refusals call its fields on the command line (the service's default is the API's JSON members). */
const CLI_TERMS: SubscriptionTerms = { url: '<url>', secret: '--secret', types: '--type is a comma-separated list of STIX type names, e.g. indicator,malware', addedAfter: '--from' };

/** webhook add, list, replay and remove (src/changes/README.md). */
export function registerWebhookCommands(program: Command, io: AdminIo = defaultIo): void {
  // As the review commands: no webhook command judges STIX content, so every failure, a refused or
  // unknown webhook action as much as a configuration or database that cannot be opened, is 2.
  const run = withRuntime(io, (e) => {
    if (e instanceof CliError) return { message: e.message, code: EXIT.usage };
    if (e instanceof DomainError) return { message: e.description, code: EXIT.usage };
    return usageFailure(e);
  });

  const webhook = program.command('webhook').description('webhook subscriptions: a URL that receives the changes of a collection, signed');
  webhook
    .command('add')
    .description('subscribe a URL to the changes of a collection; prints the subscription and its secret (shown once)')
    .argument('<collection>', 'collection id or alias')
    .argument('<url>', 'http(s) URL the deliveries are POSTed to')
    .option('--as <username>', 'deliver what this user may read (its grants and TLP clearance); default: everything')
    .option('--type <types>', 'only changes of these STIX types (comma-separated)')
    .option('--secret <secret>', 'the signing secret (16-256 characters); default: a generated one')
    .option('--from <timestamp>', 'deliver the changes after this time (RFC 3339); default: from now')
    .action(
      run(async (rt, collection: string, url: string, o: { as?: string; type?: string; secret?: string; from?: string }) => {
        const target = findCollection(rt.config, collection);
        if (!target) throw new CliError(`no collection "${collection}" is configured; the configured ones are: ${rt.config.apiRoots.flatMap((r) => r.collections.map((c) => c.alias ?? c.id)).join(', ')}`);
        let principal: Principal = SYSTEM;
        if (o.as) {
          const u = await rt.stores.users.findByName(o.as);
          if (!u || u.disabled) throw new CliError(`no active user "${o.as}" (see: user list)`);
          principal = { id: userPrincipalId(u.id), name: u.username, kind: 'user', isAdmin: u.isAdmin, maxTlp: u.maxTlp };
          // Checked here so that the refusal names the grant command, not the HTTP request the service would.
          if (!(await mayRead(rt, principal, target.root, target.id))) throw new CliError(`user "${o.as}" may not read ${collection}; grant it with: grant ${o.as} ${collection} read`);
        }
        const body = { url, secret: o.secret, match_type: o.type?.split(',').map((t) => t.trim()), added_after: o.from };
        const created = await rt.webhooks.service.subscribe(principal, target.root, target.id, body, CLI_TERMS);
        io.err(`subscribed ${url} to ${collection}; the secret below is shown only now:`);
        io.out(JSON.stringify(created));
      }),
    );
  webhook
    .command('list')
    .description('list subscriptions: id, collection, URL, status, delivered through, failures, last error')
    .action(
      run(async (rt) => {
        const all = await rt.stores.webhooks.list();
        if (!all.length) return io.out('no webhooks');
        for (const w of all) {
          const r = webhookResource(w);
          io.out(`${w.id}\t${w.collectionId}\t${w.url}\t${w.status}\tdelivered through ${r.delivered_through}\tfailures ${w.failures}${w.lastError ? `\t${w.lastError}` : ''}`);
        }
      }),
    );
  webhook
    .command('replay')
    .description('deliver again every change after a time, and re-activate a dead-lettered subscription')
    .argument('<id>')
    .requiredOption('--from <timestamp>', 'RFC 3339 time: the changes after it are delivered again, in order')
    .action(
      run(async (rt, id: string, o: { from: string }) => {
        const us = timestampToMicros(o.from);
        if (us === undefined) throw new CliError(`--from "${o.from}" is not an RFC 3339 timestamp, e.g. 2026-12-01T00:00:00Z`);
        const w = await rt.stores.webhooks.get(id);
        if (!w) throw new CliError(`no webhook ${id} (see: webhook list)`);
        const prunedUs = await rt.stores.changes.prunedThrough(w.collectionId);
        // As the change feed answers 410: deliveries from there could not tell of deletions retention removed.
        if (behindRetention(us, prunedUs)) {
          throw new CliError(`--from ${microsToTimestamp(us)} is behind deletion events that retention removed (up to ${microsToTimestamp(prunedUs)}); replay from 1970-01-01T00:00:00Z for a full resync, or from a later time`);
        }
        if (!(await rt.stores.webhooks.replay(id, us, prunedUs))) throw new CliError(`no webhook ${id} (see: webhook list)`);
        io.out(`webhook ${id} delivers again from ${microsToTimestamp(us)}`);
      }),
    );
  webhook
    .command('remove')
    .description('end a subscription')
    .argument('<id>')
    .action(
      run(async (rt, id: string) => {
        if (!(await rt.stores.webhooks.remove(id))) throw new CliError(`no webhook ${id} (see: webhook list)`);
        io.out(`removed webhook ${id}`);
      }),
    );
}

async function mayRead(rt: Runtime, principal: Principal, root: string, collectionId: string): Promise<boolean> {
  try {
    return (await rt.services.collections.resolve(principal, root, collectionId)).rights.read;
  } catch (e) {
    // A collection the user may not see at all.
    if (e instanceof NotFoundError) return false;
    throw e;
  }
}
