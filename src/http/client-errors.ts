import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type * as https from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { TAXII_MEDIA_TYPE } from '../taxii/media-types';

/**
 * Options for the node HTTP(S) server that `serve` starts. Node answers an HTTP/1.1 request without a
 * Host header with a bare 400 before express sees it; the app answers it instead (requireHost in
 * middleware/transport.ts), with a TAXII error resource and a log line.
 */
export const SERVER_OPTIONS: Readonly<http.ServerOptions> = Object.freeze({ requireHostHeader: false });

interface ParserError extends Error {
  code?: string;
  /** llhttp's reason, e.g. "Content-Length can't be present with Transfer-Encoding". */
  reason?: string;
}

/**
 * Node's HTTP parser refuses some requests before express sees them: framing errors (a Content-Length
 * that disagrees with the body, Content-Length with Transfer-Encoding, an obfuscated Transfer-Encoding,
 * duplicate Content-Length) and a request line or headers over the header size limit. Left to node they
 * get a bare status line and are not logged; here they get a TAXII error resource, and a log line with
 * the same error_id.
 */
export function answerClientErrors(server: http.Server | https.Server, log: Logger): void {
  const maxHeaderSize = http.maxHeaderSize;
  (server as http.Server).on('clientError', (err: ParserError, socket: Duplex) => {
    // The peer went away: nothing to answer.
    if (err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const { status, title, description } = describeClientError(err, maxHeaderSize);
    const errorId = randomUUID();
    const remote = (socket as unknown as { remoteAddress?: string }).remoteAddress;
    log.warn({ status, code: err.code, reason: err.reason, remote, error_id: errorId }, 'malformed HTTP request refused');
    // A response already under way on this connection cannot be followed by another one.
    const inFlight = (socket as unknown as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ title, description, error_id: errorId, http_status: String(status) });
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
        `Content-Type: ${TAXII_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

export function describeClientError(err: ParserError, maxHeaderSize: number): { status: number; title: string; description: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        title: 'Request header fields too large',
        description: `The request line and headers together exceed ${maxHeaderSize} bytes; send fewer or shorter headers, and split long match[...] lists over several requests.`,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, title: 'Request timeout', description: 'The request was not received completely in time; send it again.' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, title: 'Request too large', description: 'The chunk extensions of the request body are too large; send the body without chunk extensions.' };
    case 'HPE_INVALID_EOF_STATE':
      return {
        status: 400,
        title: 'Bad request',
        description: 'The connection was half-closed before the request ended; send a body exactly as long as its Content-Length.',
      };
    default:
      return {
        status: 400,
        title: 'Bad request',
        description:
          `The request is not well-formed HTTP/1.1${err.reason ? ` (${err.reason})` : ''}. ` +
          'Send either a Content-Length that matches the body or Transfer-Encoding: chunked, never both, and each header once.',
      };
  }
}
