import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import type * as https from 'node:https';
import * as tls from 'node:tls';
import type { Config } from '../config/config';
import { StartupError } from '../server';
import { ioReason } from './import-command';

type TlsConfig = NonNullable<Config['server']['tls']>;

const SETTING = {
  cert: 'set TAXII_TLS_CERT (or server.tls.cert in the config file)',
  key: 'set TAXII_TLS_KEY (or server.tls.key in the config file)',
  ca: 'set TAXII_TLS_CA (or server.tls.ca in the config file)',
};

/**
 * The certificate, key and client CA of `serve`, read and checked before the listener starts, so that a
 * wrong file ends start-up with one line naming it instead of an OpenSSL code.
 */
export function tlsServerOptions(config: TlsConfig): Pick<https.ServerOptions, 'cert' | 'key' | 'ca'> {
  const cert = readPem(config.cert, 'certificate', SETTING.cert);
  const key = readPem(config.key, 'private key', SETTING.key);
  const ca = config.ca === undefined ? undefined : readPem(config.ca, 'client CA bundle', SETTING.ca);
  check(() => tls.createSecureContext({ cert }), `the TLS certificate ${config.cert} is not a PEM certificate`, SETTING.cert);
  check(() => tls.createSecureContext({ key }), `the TLS private key ${config.key} is not an unencrypted PEM private key`, SETTING.key);
  check(() => tls.createSecureContext({ cert, key }), `the TLS private key ${config.key} does not belong to the certificate ${config.cert}`, SETTING.key);
  // OpenSSL skips what it cannot parse in a CA bundle; client certificates would then never verify.
  if (ca) check(() => caCertificates(ca), `the TLS client CA bundle ${config.ca} holds no PEM certificate`, SETTING.ca);
  return { cert, key, ca };
}

function readPem(file: string, what: string, setting: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new StartupError(`cannot read the TLS ${what} ${file}: ${ioReason(e)}; ${setting}`);
  }
}

function caCertificates(pem: Buffer): void {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (!blocks.length) throw new Error('no certificate block');
  for (const block of blocks) new X509Certificate(block);
}

function check(attempt: () => unknown, message: string, setting: string): void {
  try {
    attempt();
  } catch (e) {
    throw new StartupError(`${message} (${(e as Error).message.replace(/^error:[0-9A-F]+:/, '')}); ${setting}`);
  }
}

/** One line for a listener that cannot start, naming the setting to change. */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number, settings = { host: 'HOST', port: 'PORT' }): StartupError {
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new StartupError(`port ${port} on ${host} is already in use; set ${settings.port}`);
    case 'EACCES':
      return new StartupError(`no permission to listen on ${at} (ports below 1024 need privileges); set ${settings.port}`);
    case 'EADDRNOTAVAIL':
      return new StartupError(`${host} is not an address of this machine, so nothing can listen on ${at}; set ${settings.host}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new StartupError(`${host} does not resolve to an address of this machine; set ${settings.host}`);
    default:
      return new StartupError(`cannot listen on ${at}: ${e.message}; check ${settings.host} and ${settings.port}`);
  }
}
