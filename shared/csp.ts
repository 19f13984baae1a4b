/**
 * The studio's Content-Security-Policy, one definition for every way the page is served: the
 * Electron session header (with the `studio-media:` scheme for project media) and the web
 * transport's header. No 'unsafe-eval' and no inline scripts; inline styles are allowed because
 * Monaco and wavesurfer set styles at run time (docs/security.md).
 */
export function studioCsp(opts: { mediaScheme?: string } = {}): string {
  const media = opts.mediaScheme ? ` ${opts.mediaScheme}:` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `media-src 'self' blob:${media}`,
    `connect-src 'self'${media}`,
    "worker-src 'self' blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
