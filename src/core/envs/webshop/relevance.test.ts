/** Search relevance on the generated shop: how often the goal's product is in the top 10 for its instruction. */
import { describe, expect, it } from 'vitest';
import { generateCatalog, generateGoals } from './catalog';
import { SearchIndex } from './search';

describe('search relevance', () => {
  it('finds the goal product in the top 10 for most instructions (seed 0: 2,000 products, 1,000 goals)', () => {
    const catalog = generateCatalog(0, 2000);
    const goals = generateGoals(catalog, 0, 1000);
    const index = new SearchIndex(catalog);
    let top1 = 0;
    let top10 = 0;
    for (const g of goals) {
      const hits = index.search(g.instruction, 10);
      if (hits[0] === g.productId) top1 += 1;
      if (hits.includes(g.productId)) top10 += 1;
    }
    console.log(`goal product first: ${(top1 / goals.length * 100).toFixed(1)}%, in the top 10: ${(top10 / goals.length * 100).toFixed(1)}%`);
    expect(top10 / goals.length).toBeGreaterThan(0.9); // measured 96.4% (first: 61.8%)
  });
});
