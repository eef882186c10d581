import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Metrics of the change surfaces, in a registry given by the runtime (never prom-client's global one), so
 * that the server's metrics registry can hold them next to its own and tests get fresh counters.
 */
export class ChangeMetrics {
  readonly streamSubscribers: Gauge;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly webhookChanges: Counter;
  readonly webhookLag: Histogram;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.streamSubscribers = new Gauge({ name: 'taxii_change_stream_subscribers', help: 'Open change streams (Server-Sent Events) in this process', registers });
    this.webhookDeliveries = new Counter({ name: 'taxii_webhook_deliveries_total', help: 'Webhook delivery attempts, by outcome (delivered, failed)', labelNames: ['outcome'], registers });
    // Both outcomes exist from the start, so rate() and alerts see a zero before the first failure.
    for (const outcome of ['delivered', 'failed']) this.webhookDeliveries.inc({ outcome }, 0);
    this.webhookChanges = new Counter({ name: 'taxii_webhook_changes_delivered_total', help: 'Changes delivered to webhook receivers', registers });
    this.webhookLag = new Histogram({
      name: 'taxii_webhook_delivery_lag_seconds',
      help: 'From the commit of the oldest change of a batch to the receiver accepting it',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
      registers,
    });
  }
}
