/**
 * The Electron shell's URL rules (electron/platform/url-policy.ts), fuzzed: the media protocol
 * never names a file outside its project, only our own renderer may call IPC, and only plain
 * https links open in the browser.
 */
import fc from 'fast-check';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProjectService } from '../services/project/project-service';
import { isAllowedExternalUrl, isTrustedRendererUrl, resolveMediaPath } from '../platform/url-policy';

const ROOT = join('/srv', 'projects');
const projects = new ProjectService({ root: ROOT });
const projectDir = (id: string): string => projects.dir(id);
const SEED = Number(process.env.FUZZ_SEED ?? 20251115);

describe('studio-media:// path resolution', () => {
  it('serves project files and nothing else', () => {
    expect(resolveMediaPath(projectDir, 'studio-media://project/my-show/mix.wav')).toBe(
      join(ROOT, 'my-show', 'mix.wav'),
    );
    expect(resolveMediaPath(projectDir, 'studio-media://project/my-show/exports/2025/a%20b.mp3')).toBe(
      join(ROOT, 'my-show', 'exports', '2025', 'a b.mp3'),
    );
    for (const bad of [
      'studio-media://project/my-show/..%2F..%2Fetc%2Fpasswd',
      'studio-media://project/..%2Fother/episode.json',
      'studio-media://project/my-show/.secret',
      'studio-media://project/my-show/',
      'studio-media://project/my-show/%E0%A4%A',
      'studio-media://project/My_Show/mix.wav',
      'studio-media://elsewhere/my-show/mix.wav',
      'studio-media://project/my-show/a%00b.wav',
      'studio-media://project/my-show/..%5C..%5Cx',
      'not a url',
    ]) {
      expect(resolveMediaPath(projectDir, bad), bad).toBeUndefined();
    }
  });

  it('never resolves outside a project folder, whatever the URL', () => {
    // Dot segments are resolved by the URL parser (as Chromium does for a standard scheme), so
    // `my-show/%2e%2e/other/x` names project "other": still a project file, never above the root.
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2e',
        '..%2f',
        '%2f',
        '%5c',
        '%00',
        '...',
        'mix.wav',
        '~',
        '%252e',
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('my-show', 'other', '..', '%2e%2e', 'a%2fb'),
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        (id, segs) => {
          const url = `studio-media://project/${id}/${segs.join('/')}`;
          const full = resolveMediaPath(projectDir, url);
          if (full === undefined) return;
          expect(full.startsWith(ROOT + sep), `${url} → ${full}`).toBe(true);
          const [project, ...inside] = full.slice(ROOT.length + 1).split(sep);
          expect(/^[a-z0-9][a-z0-9-]{0,79}$/.test(project) && inside.length > 0, `${url} → ${full}`).toBe(
            true,
          );
          expect(
            full.split(sep).some((s) => s.startsWith('.')),
            url,
          ).toBe(false);
        },
      ),
      { numRuns: 2000, seed: SEED },
    );
  });
});

describe('IPC sender origin', () => {
  const rendererFile = join('/opt', 'goose', 'out', 'renderer', 'index.html');
  const fileUrl = pathToFileURL(rendererFile).href;

  it('trusts exactly the built index.html', () => {
    expect(isTrustedRendererUrl(fileUrl, { rendererFile })).toBe(true);
    expect(isTrustedRendererUrl(`${fileUrl}#/script`, { rendererFile })).toBe(true);
    for (const url of [
      'file:///tmp/evil/renderer/index.html',
      `${fileUrl}/../../evil.html`,
      'file://evil-host/opt/goose/out/renderer/index.html',
      'https://evil.example/renderer/index.html',
      'about:blank',
      'data:text/html,<script>1</script>',
      '',
    ]) {
      expect(isTrustedRendererUrl(url, { rendererFile }), url).toBe(false);
    }
  });

  it('trusts exactly the dev server origin in development', () => {
    const dev = { rendererFile, rendererUrl: 'http://localhost:5173' };
    expect(isTrustedRendererUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/src/main.tsx?x=1', dev)).toBe(true);
    for (const url of [
      'http://localhost:51730/',
      'http://localhost:5173.evil.example/',
      'http://localhost:5173@evil.example/',
      'https://localhost:5173/',
      fileUrl,
    ]) {
      expect(isTrustedRendererUrl(url, dev), url).toBe(false);
    }
  });
});

describe('shell.openExternal policy', () => {
  it('opens plain https links only', () => {
    expect(isAllowedExternalUrl('https://news.example/story?id=1')).toBe(true);
    for (const url of [
      'http://news.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'https://good.example@evil.example/',
      'https://user:pw@evil.example/',
      `https://x.example/${'a'.repeat(3000)}`,
      'https:',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('never allows another scheme, whatever the string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('https://', ' https://a.b', 'https://a.b\n')),
        (url) => {
          if (isAllowedExternalUrl(url)) expect(new URL(url).protocol).toBe('https:');
        },
      ),
      { numRuns: 1000, seed: SEED },
    );
  });
});
