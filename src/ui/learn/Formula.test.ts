import { describe, expect, it } from 'vitest';
import { texToMathml } from './Formula';

describe('texToMathml', () => {
  it('renders TeX as MathML with the TeX kept as an annotation', () => {
    const html = texToMathml('y = r + \\gamma (1 - d)\\,\\bar V(s\')');
    expect(html).toContain('<math');
    expect(html).toContain('<mi>γ</mi>');
    expect(html).toContain('annotation encoding="application/x-tex"');
  });

  it('shows a TeX error in place instead of throwing', () => {
    expect(() => texToMathml('\\frac{1}{')).not.toThrow();
  });
});
