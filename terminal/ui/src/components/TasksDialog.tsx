import { useState } from 'react';
import type { TillTask } from '../api';
import { useI18n } from '../i18n';
import { Dialog } from './Dialog';

/**
 * HQ's tasks and checklists for this store (issue 16): overdue ones first and marked, each item ticked with a tap
 * by whoever is logged in; the till keeps the tick (who, when) and sends it to HQ once.
 */
export function TasksDialog({ tasks, onCheck, onClose }: { tasks: TillTask[]; onCheck: (taskId: string, itemNo: number) => Promise<void>; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const when = (iso: string) => new Date(iso).toLocaleString(locale === 'es' ? 'es-ES' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
  return (
    <Dialog title={t('tasks.title')} onClose={onClose} wide testId="tasks-dialog">
      {tasks.length === 0 && <p data-testid="tasks-none">{t('tasks.none')}</p>}
      <ul className="notice-list">
        {tasks.map((task) => (
          <li key={task.id} className={`notice task-${task.status}${task.status === 'done' ? ' notice-read' : ''}`} data-testid="task" data-task-id={task.id} data-status={task.status}>
            <header>
              {task.status === 'overdue' && <span className="pill bad" data-testid="task-overdue">{t('tasks.overdue')}</span>}
              {task.status === 'done' && <span className="pill ok">{t('tasks.done')}</span>}{' '}
              <strong data-testid="task-title">{task.title}</strong> <small>{t('tasks.due', { at: when(task.dueAt) })}</small>
            </header>
            {task.description && <p>{task.description}</p>}
            <ol className="task-items">
              {task.items.map((i) => (
                <li key={i.no} data-testid="task-item" data-done={i.doneAt ? 'yes' : 'no'}>
                  <label>
                    <input
                      type="checkbox"
                      checked={i.doneAt !== null}
                      disabled={i.doneAt !== null || busy !== null}
                      data-testid="task-item-check"
                      onChange={() => {
                        const key = `${task.id}:${i.no}`;
                        setBusy(key);
                        void onCheck(task.id, i.no).finally(() => setBusy(null));
                      }}
                    />{' '}
                    {i.text}
                  </label>
                  {i.doneAt && <small data-testid="task-item-done"> — {t('tasks.doneBy', { who: i.doneBy ?? '', at: when(i.doneAt) })}</small>}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
