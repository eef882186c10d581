import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Metrics of the change surfaces, in prom-client's default registry (where a /metrics endpoint finds them).
 * Created once per process, whatever the number of runtimes in it.
 */
function once<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export const changeMetrics = {
  streamSubscribers: once('taxii_change_stream_subscribers', () => new Gauge({ name: 'taxii_change_stream_subscribers', help: 'Open change streams (Server-Sent Events) in this process' })),
  webhookDeliveries: once(
    'taxii_webhook_deliveries_total',
    () => new Counter({ name: 'taxii_webhook_deliveries_total', help: 'Webhook delivery attempts, by outcome (delivered, failed)', labelNames: ['outcome'] as const }),
  ),
  webhookChanges: once('taxii_webhook_changes_delivered_total', () => new Counter({ name: 'taxii_webhook_changes_delivered_total', help: 'Changes delivered to webhook receivers' })),
  webhookLag: once(
    'taxii_webhook_delivery_lag_seconds',
    () =>
      new Histogram({
        name: 'taxii_webhook_delivery_lag_seconds',
        help: 'From the commit of the oldest change of a batch to the receiver accepting it',
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
      }),
  ),
};
