import type { Config } from '../config/config';
import type { StatusDetail, StatusResource } from '../domain/types';
import { WorkSlicer } from '../common/event-loop';
import type { PostedObject } from '../taxii/envelope-parser';
import type { IngestQueue } from '../taxii/services/object-service';
import type { Principal } from '../taxii/access';
import type { IngestQueueStore } from '../store/ingest-queue-store';

/** How a queued object is named in `pendings` (and in its outcome, when it has no id): as the synchronous POST names it. */
export function pendingOf(o: PostedObject, index: number): StatusDetail {
  const v = o.value as Record<string, unknown> | null;
  const id = typeof v?.id === 'string' ? v.id : `objects[${index}]`;
  const version = typeof v?.modified === 'string' ? v.modified : typeof v?.created === 'string' ? v.created : '';
  return { id, version };
}

/**
 * Accepts an envelope for asynchronous ingest: splits it into chunks of `ingest.chunk_objects`, stores
 * them with a "pending" status (IngestQueueStore.enqueue: queued whole or not at all), wakes the local
 * worker, and returns the status the POST answers with (TAXII 2.1 §5.4: 202 with status "pending" and the
 * objects not yet processed).
 */
export class AsyncIngest implements IngestQueue {
  private wake: () => void = () => undefined;

  constructor(
    private readonly config: Config,
    private readonly store: IngestQueueStore,
  ) {}

  /** What to call once a job is queued (the local worker's kick). */
  onQueued(wake: () => void): void {
    this.wake = wake;
  }

  async enqueue(job: { statusId: string; requestTimestamp: string; principal: Principal; apiRoot: string; collectionId: string; posted: readonly PostedObject[] }): Promise<StatusResource> {
    const size = this.config.ingest.chunkObjects;
    const pendings: StatusDetail[] = [];
    const chunks: Array<{ objects: string; pendings: StatusDetail[] }> = [];
    const slicer = new WorkSlicer();
    for (let i = 0; i < job.posted.length; i += size) {
      await slicer.step();
      const part = job.posted.slice(i, i + size);
      const details = part.map((o, k) => pendingOf(o, i + k));
      pendings.push(...details);
      chunks.push({ objects: `{"objects":[${part.map((o) => o.raw).join(',')}]}`, pendings: details });
    }
    const status: StatusResource = {
      id: job.statusId,
      status: 'pending',
      request_timestamp: job.requestTimestamp,
      total_count: job.posted.length,
      success_count: 0,
      successes: [],
      failure_count: 0,
      failures: [],
      pending_count: pendings.length,
      pendings,
    };
    const { id, name, kind, isAdmin, maxTlp } = job.principal;
    await this.store.enqueue({
      status,
      apiRoot: job.apiRoot,
      collectionId: job.collectionId,
      principalId: id,
      principal: { id, name, kind, isAdmin, maxTlp },
      chunks,
      retentionMs: this.config.server.statusRetentionHours * 3600_000,
    });
    this.wake();
    return status;
  }
}
