import * as http from 'node:http';
import type { Registry } from 'prom-client';

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
  /** The input partitions this instance owns, by topic: none is no failure (a spare replica). */
  assignment?: Record<string, number[]>;
  /** Transactional producers open: one per input partition owned (closed when the partition moves). */
  producers?: number;
}

/**
 * `/healthz`: the process is alive. `/readyz`: 200 only when Kafka and Redis are connected, the consumer
 * is in its group and nothing is paused by an outage (503 with the failing checks otherwise); the body
 * reports the partitions assigned, which may be none (more instances than partitions).
 * `/metrics`: Prometheus text format.
 */
export function startHttpServer(
  port: number,
  registry: Registry,
  readiness: () => Readiness,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (url === '/readyz') {
      const r = readiness();
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: r.ready ? 'ready' : 'not-ready',
          checks: r.checks,
          ...(r.assignment ? { assignment: r.assignment } : {}),
          ...(r.producers !== undefined ? { producers: r.producers } : {}),
        }),
      );
    } else if (url === '/metrics') {
      registry
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
        .catch(() => res.writeHead(500).end());
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
