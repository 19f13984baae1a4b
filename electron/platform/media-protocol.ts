/**
 * `studio-media://project/<projectId>/<file>`: serves project media (the mix, exports) to the
 * page with Range support, and nothing outside the project folder.
 */
import { protocol } from 'electron';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { resolveMediaPath } from './url-policy';

export const MEDIA_SCHEME = 'studio-media';

/** Must run before app ready. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: MEDIA_SCHEME,
      privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true },
    },
  ]);
}

const TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

/** Handles the scheme with `projectDir` resolving (and validating) project ids. */
export function handleMediaProtocol(projectDir: (projectId: string) => string): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    // Bad ids, malformed escapes, dot-files and anything outside the project: 404 (url-policy.ts).
    const full = resolveMediaPath(projectDir, request.url);
    if (!full) return new Response('Not found', { status: 404 });
    let size: number;
    try {
      const s = await stat(full);
      if (!s.isFile()) return new Response('Not found', { status: 404 });
      size = s.size;
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const type = TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream';
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('range') ?? '');
    if (range && (range[1] || range[2])) {
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = Math.min(size - 1, range[1] && range[2] ? Number(range[2]) : size - 1);
      if (start > end)
        return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
      const body = Readable.toWeb(createReadStream(full, { start, end })) as ReadableStream;
      return new Response(body, {
        status: 206,
        headers: {
          'Content-Type': type,
          'Content-Range': `bytes ${start}-${end}/${size}`,
          'Content-Length': String(end - start + 1),
          'Accept-Ranges': 'bytes',
        },
      });
    }
    const body = Readable.toWeb(createReadStream(full)) as ReadableStream;
    return new Response(body, {
      headers: { 'Content-Type': type, 'Content-Length': String(size), 'Accept-Ranges': 'bytes' },
    });
  });
}

/** The URL of a project file for the page. */
export function mediaUrl(projectId: string, relPath: string): string {
  return `${MEDIA_SCHEME}://project/${encodeURIComponent(projectId)}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}
