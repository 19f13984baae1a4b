/** Test support: one HTTP request to a server on 127.0.0.1, with the Host header set. */
import { request, type ClientRequest } from 'node:http';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  /** The request body, or a writer that streams it and ends the request itself. */
  body?: string | Buffer | ((req: ClientRequest) => void);
}

/** Sends `path` to 127.0.0.1:`port` and collects the reply. */
export function httpRequest(port: number, path: string, opts: HttpOptions = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    if (typeof opts.body === 'function') opts.body(req);
    else req.end(opts.body);
  });
}
