/** A job's progress bar: the share done when the total is known, a moving bar while it is not. */
import { Group, Progress, Text } from '@mantine/core';
import { useFormat } from '../components/format';
import type { Job } from './types';

const COLOR: Record<Job['status'], string> = { queued: 'gray', running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'gray' };

export function JobProgress({ job, label, testId }: { job: Job; label?: string; testId?: string }) {
  const f = useFormat();
  const { done, total } = job.progress;
  const known = total !== null && total > 0;
  const pct = job.status === 'succeeded' ? 100 : known ? Math.min(100, (done / total) * 100) : job.status === 'running' ? 100 : 0;
  return (
    <div data-testid={testId} data-status={job.status} data-done={done} data-total={total ?? ''}>
      <Progress value={pct} color={COLOR[job.status]} animated={job.status === 'running'} striped={job.status === 'running' && !known} size="lg" aria-label={label ?? job.kind} />
      <Group justify="space-between" mt={4}>
        <Text size="xs" c="dimmed">{job.message ?? ''}</Text>
        <Text size="xs" c="dimmed">{known ? `${f.number(done)} / ${f.number(total)}` : done > 0 ? f.number(done) : ''}</Text>
      </Group>
    </div>
  );
}
