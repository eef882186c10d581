import * as net from 'node:net';

/**
 * A TCP forwarder to a local port (PostgreSQL) that the test controls, to play database faults:
 * `cut()` drops every connection and refuses new ones (an outage), `stall()` keeps the connections open
 * but passes no byte either way (a silent network partition), `open()`/`resume()` end them.
 */
export class TcpProxy {
  private server?: net.Server;
  private stalled = false;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();

  constructor(private readonly targetPort: number) {}

  /** Listens (on `port`, or any free one) and forwards; resolves to the port. */
  open(port = 0): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        from.on('data', (chunk) => {
          if (!this.stalled) to.write(chunk);
        });
        from.on('error', () => undefined);
        from.on('close', () => {
          to.destroy();
          this.pairs.delete(pair);
        });
      }
    });
    this.server = server;
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  }

  /** Drops every connection and stops listening: new connections are refused until open() again. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.dropAll();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  stall(): void {
    this.stalled = true;
  }

  /** Forwarding resumes; connections that lost bytes meanwhile are cut, as TCP would after a long partition. */
  resume(): void {
    if (!this.stalled) return;
    this.stalled = false;
    this.dropAll();
  }

  private dropAll(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }
}
