/**
 * Keyboard-wedge scanner detection. A wedge scanner "types" the barcode as a fast burst of key presses
 * followed by Enter. Anywhere on the screen, a burst of at least `minLength` printable keys, each less than
 * `maxGapMs` after the previous one, ending in Enter is a scan: it goes to `onScan` and never reaches the
 * focused input. Printable keys typed into an input are held back (they may be the start of a burst) and
 * inserted into that input as soon as the burst turns out to be human typing (a pause, or an early Enter).
 */

export interface KeyboardWedgeOptions {
  onScan: (code: string) => void;
  /** Minimum characters of a scan (default 6). */
  minLength?: number;
  /** Longest gap between two keys of one burst, ms (default 50). */
  maxGapMs?: number;
}

type Editable = HTMLInputElement | HTMLTextAreaElement;

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'tel', 'password', 'email', 'url', 'number', '']);

function editableTarget(el: EventTarget | null): Editable | null {
  if (el instanceof HTMLTextAreaElement && !el.readOnly && !el.disabled) return el;
  if (el instanceof HTMLInputElement && !el.readOnly && !el.disabled && TEXT_INPUT_TYPES.has(el.type)) return el;
  return null;
}

/** Inserts text at the caret of a React-controlled input and lets React see the change. */
export function insertIntoInput(el: Editable, text: string): void {
  if (!el.isConnected) return;
  let start = el.value.length;
  let end = start;
  try {
    start = el.selectionStart ?? start;
    end = el.selectionEnd ?? end;
  } catch {
    /* inputs without selection support: append */
  }
  const next = el.value.slice(0, start) + text + el.value.slice(end);
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(el, next);
  else el.value = next;
  try {
    el.setSelectionRange(start + text.length, start + text.length);
  } catch {
    /* ignore */
  }
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Listens on `target` (the window) in the capture phase; returns the function that stops listening. */
export function attachKeyboardWedge(target: Window, options: KeyboardWedgeOptions): () => void {
  const minLength = options.minLength ?? 6;
  const maxGapMs = options.maxGapMs ?? 50;
  let buffer = '';
  let lastAt = -Infinity;
  let heldFor: Editable | null = null;
  let held = '';
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** The burst was human typing: give the held characters back to their input. */
  const release = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (heldFor && held) insertIntoInput(heldFor, held);
    heldFor = null;
    held = '';
    buffer = '';
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
    const now = e.timeStamp || performance.now();
    const gap = now - lastAt;
    if (e.key === 'Enter') {
      if (buffer.length >= minLength && gap < maxGapMs) {
        const code = buffer;
        e.preventDefault();
        e.stopPropagation();
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        heldFor = null;
        held = '';
        buffer = '';
        lastAt = -Infinity;
        options.onScan(code);
        return;
      }
      release();
      lastAt = -Infinity;
      return;
    }
    if (e.key.length !== 1) {
      // Backspace, arrows, Tab…: a person is typing.
      release();
      lastAt = -Infinity;
      return;
    }
    if (gap >= maxGapMs) release();
    buffer += e.key;
    lastAt = now;
    const input = editableTarget(e.target);
    if (input) {
      if (heldFor !== input) {
        if (heldFor && held) insertIntoInput(heldFor, held);
        heldFor = input;
        held = '';
      }
      held += e.key;
      e.preventDefault();
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(release, maxGapMs);
  };

  target.addEventListener('keydown', onKeyDown, true);
  return () => {
    target.removeEventListener('keydown', onKeyDown, true);
    if (timer !== undefined) clearTimeout(timer);
  };
}
