/**
 * A button that opens the file chooser: the visible, keyboard-reachable control is the button; the
 * file input is visually hidden (and out of the tab order) but keeps its label for tests and
 * assistive technology. The chosen file is handed over once and the input cleared, so choosing
 * the same file again works.
 */
import { useRef } from 'react';

interface Props {
  children: React.ReactNode;
  accept: string;
  /** Accessible name of the hidden file input. */
  inputLabel: string;
  onFile: (file: File) => void;
  disabled?: boolean;
  testId?: string;
}

export function FileButton({ children, accept, inputLabel, onFile, disabled, testId }: Props) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => ref.current?.click()} disabled={disabled}>
        {children}
      </button>
      <input
        ref={ref}
        type="file"
        accept={accept}
        className="sr-only"
        aria-label={inputLabel}
        tabIndex={-1}
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
    </>
  );
}
