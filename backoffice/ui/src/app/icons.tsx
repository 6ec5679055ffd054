/**
 * Menu icons: a few inline strokes (no icon font or library in the bundle). A module may use these or pass
 * any ReactNode as its menu entry's `icon`.
 */
import type { ReactNode } from 'react';

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {children}
    </svg>
  );
}

export const icons = {
  store: <Icon><path d="M3 9l1.5-5h15L21 9M3 9v11h18V9M3 9h18M9 20v-6h6v6" /></Icon>,
  terminal: <Icon><rect x="4" y="3" width="16" height="12" rx="2" /><path d="M8 21h8M12 15v6" /></Icon>,
  chart: <Icon><path d="M4 20V10M10 20V4M16 20v-7M22 20H2" /></Icon>,
  box: <Icon><path d="M21 8l-9-5-9 5 9 5 9-5zM3 8v8l9 5 9-5V8M12 13v8" /></Icon>,
  alert: <Icon><path d="M12 3l10 18H2L12 3zM12 10v4M12 17.5v.5" /></Icon>,
  tag: <Icon><path d="M3 12V3h9l9 9-9 9-9-9z" /><circle cx="7.5" cy="7.5" r="1.5" /></Icon>,
  users: <Icon><circle cx="9" cy="8" r="3.5" /><path d="M2 20c0-3.5 3-6 7-6s7 2.5 7 6M16 4.5a3.5 3.5 0 010 7M22 20c0-3-2-5.2-5-5.8" /></Icon>,
  building: <Icon><path d="M4 21V4h10v17M14 9h6v12M2 21h20M8 8h2M8 12h2M8 16h2" /></Icon>,
  receipt: <Icon><path d="M6 3h12v18l-3-2-3 2-3-2-3 2V3zM9 8h6M9 12h6M9 16h3" /></Icon>,
  file: <Icon><path d="M14 3H6v18h12V7l-4-4zM14 3v4h4" /></Icon>,
  clock: <Icon><circle cx="12" cy="12" r="9" /><path d="M12 7v5l3 3" /></Icon>,
  settings: <Icon><circle cx="12" cy="12" r="3" /><path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1" /></Icon>,
};
