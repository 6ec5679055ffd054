/** A refused request as the user sees it: the server's message and, per field, what is wrong. */
import { Alert, List } from '@mantine/core';
import { ApiError } from '../app/api';

export function ProblemAlert({ error, testId = 'quality-error' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" data-testid={testId}>
      {error instanceof Error ? error.message : String(error)}
      {e && e.fieldErrors.length > 0 && (
        <List size="sm">
          {e.fieldErrors.map((f) => (
            <List.Item key={f.path}>{`${f.path}: ${f.message}`}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
