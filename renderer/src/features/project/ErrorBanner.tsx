import { dismissBanner, useStudio } from '../../state/studio-state';

/** The latest error, in words a producer can act on. */
export function ErrorBanner() {
  const banner = useStudio((s) => s.banner);
  if (!banner) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-code={banner.code}>
      <span className="error-icon" aria-hidden>
        !
      </span>
      <span className="error-message">{banner.message}</span>
      <button className="btn tiny ghost" aria-label="Dismiss error" onClick={dismissBanner}>
        ×
      </button>
    </div>
  );
}
