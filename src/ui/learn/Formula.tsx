/**
 * A formula written in TeX, rendered as MathML by KaTeX (the browser draws MathML itself: no fonts
 * or style sheet to ship, and screen readers read it). A TeX error shows the source, never a blank.
 */
import { memo } from 'react';
import katex from 'katex';

export function texToMathml(tex: string, display = false): string {
  return katex.renderToString(tex, { output: 'mathml', displayMode: display, throwOnError: false, strict: 'ignore' });
}

export const Formula = memo(function Formula({ tex, display = false }: { tex: string; display?: boolean }) {
  const Tag = display ? 'div' : 'span';
  return <Tag className={display ? 'formula formula-display' : 'formula'} dangerouslySetInnerHTML={{ __html: texToMathml(tex, display) }} />;
});
