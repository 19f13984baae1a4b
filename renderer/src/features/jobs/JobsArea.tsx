import type { JobUpdate } from '@shared/contract';
import { cancelJob, dismissJob } from '../../state/job-actions';
import { useStudio } from '../../state/studio-state';

const KIND_LABEL: Record<JobUpdate['kind'], string> = { draft: 'Draft', voice: 'Voice', export: 'Export' };

function JobChip({ job }: { job: JobUpdate }) {
  const active = job.status === 'queued' || job.status === 'running';
  const message = job.status === 'failed' ? (job.error?.message ?? job.message) : job.message;
  return (
    <div
      className={`job job-${job.status}`}
      data-testid={`job-${job.kind}`}
      data-status={job.status}
      role="status"
      title={message}
    >
      <span className="job-kind">{KIND_LABEL[job.kind]}</span>
      {active && (
        <span className="job-progress" aria-label={`${Math.round(job.percent)} percent`}>
          <span
            className="job-progress-fill"
            style={{ width: `${Math.max(2, Math.min(100, job.percent))}%` }}
          />
        </span>
      )}
      {active && <span className="job-percent">{Math.round(job.percent)}%</span>}
      {job.status === 'done' && <span className="job-state ok">✓ done</span>}
      {job.status === 'canceled' && <span className="job-state">canceled</span>}
      {job.status === 'failed' && <span className="job-state bad">failed</span>}
      {message && message.replace(/\.$/, '').toLowerCase() !== job.status && (
        <span className="job-message">{message}</span>
      )}
      {active ? (
        <button className="btn tiny" data-testid="job-cancel" onClick={() => void cancelJob(job.jobId)}>
          Cancel
        </button>
      ) : (
        <button className="btn tiny ghost" aria-label="Dismiss" onClick={() => dismissJob(job.jobId)}>
          ×
        </button>
      )}
    </div>
  );
}

/** Every running job with progress and Cancel; failures stay until dismissed. */
export function JobsArea() {
  const jobs = useStudio((s) => s.jobs);
  const dismissed = useStudio((s) => s.dismissedJobs);
  const visible = Object.values(jobs).filter((j) => !dismissed[j.jobId]);
  return (
    <div className="jobs" aria-live="polite">
      {visible.map((j) => (
        <JobChip key={j.jobId} job={j} />
      ))}
    </div>
  );
}
