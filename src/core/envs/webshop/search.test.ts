import { describe, expect, it } from 'vitest';
import { SearchIndex } from './search';
import { rawTokens, stem, tokenize } from './text';
import type { Product } from './types';

function mk(id: string, p: Partial<Product>): Product {
  return {
    id,
    type: '',
    category: '',
    query: '',
    categoryPath: '',
    title: '',
    description: '',
    features: [],
    reviews: [],
    attributes: [],
    options: {},
    price: 10,
    ...p,
  };
}

const CATALOG: Product[] = [
  mk('B00001', {
    type: 't-shirt', category: 'fashion', title: 'Classic Cotton Crew Neck T-Shirt for Men',
    description: 'A soft everyday tee.', features: ['machine washable', 'regular fit'],
    attributes: ['cotton', 'machine washable'], options: { size: ['small', 'large'], color: ['navy', 'white'] },
  }),
  mk('B00002', {
    type: 't-shirt', category: 'fashion', title: 'Slim Fit Polyester Athletic T-Shirt',
    description: 'Moisture wicking tee for the gym.', features: ['quick dry'],
    attributes: ['polyester', 'quick dry'], options: { size: ['medium'], color: ['black'] },
  }),
  mk('B00003', {
    type: 'hoodie', category: 'fashion', title: 'Fleece Pullover Hoodie with Kangaroo Pocket',
    description: 'Warm hoodie for cold days.', features: ['machine washable'],
    attributes: ['fleece', 'machine washable'], options: { size: ['large'], color: ['gray'] },
  }),
  mk('B00004', {
    type: 'running shoes', category: 'fashion', title: 'Lightweight Mesh Running Shoes',
    description: 'Breathable running shoes with rubber sole.', features: ['non slip'],
    attributes: ['non slip', 'rubber sole'], options: { size: ['9', '10'] },
  }),
  mk('B00005', {
    type: 'headphones', category: 'electronics', title: 'Wireless Bluetooth Over-Ear Headphones',
    description: 'Noise cancelling headphones with long battery life.', features: ['40 hour battery'],
    attributes: ['wireless', 'noise cancelling'], options: { color: ['black', 'silver'] },
  }),
  mk('B00006', {
    type: 'earbuds', category: 'electronics', title: 'True Wireless Earbuds with Charging Case',
    description: 'Compact earbuds, water resistant.', features: ['water resistant'],
    attributes: ['wireless', 'water resistant'], options: { color: ['white'] },
  }),
  mk('B00007', {
    type: 'phone case', category: 'electronics', title: 'Shockproof Silicone Phone Case',
    description: 'Protective case with raised edges.', features: ['shockproof'],
    attributes: ['silicone', 'shockproof'], options: { color: ['clear', 'blue'] },
  }),
  mk('B00008', {
    type: 'coffee', category: 'grocery', title: 'Organic Medium Roast Ground Coffee',
    description: 'Smooth coffee from fair trade beans.', features: ['fair trade'],
    attributes: ['organic', 'fair trade'], options: { size: ['12 ounce', '2 pound'] },
  }),
  mk('B00009', {
    type: 'green tea', category: 'grocery', title: 'Organic Japanese Green Tea Bags',
    description: 'Gluten free tea with a fresh taste.', features: ['gluten free'],
    attributes: ['organic', 'gluten free'], options: { size: ['20 count', '100 count'] },
  }),
  mk('B00010', {
    type: 'protein bars', category: 'grocery', title: 'Peanut Butter Protein Bars',
    description: 'High protein snack bars, gluten free.', features: ['gluten free', 'low sugar'],
    attributes: ['gluten free', 'low sugar'], options: { size: ['12 count'] },
  }),
  mk('B00011', {
    type: 'desk lamp', category: 'home', title: 'LED Desk Lamp with USB Charging Port',
    description: 'Dimmable desk lamp for home office.', features: ['dimmable'],
    attributes: ['dimmable', 'energy efficient'], options: { color: ['black', 'white'] },
  }),
  mk('B00012', {
    type: 'throw pillow', category: 'home', title: 'Velvet Throw Pillow Cover',
    description: 'Decorative cover for the living room, machine washable.', features: ['hidden zipper'],
    attributes: ['velvet', 'machine washable'], options: { color: ['navy', 'blush'] },
    reviews: ['I love my new coffee table pillow, perfect with coffee'],
  }),
];

describe('text', () => {
  it('lower-cases, splits on non letters/digits, drops stop words, strips plurals', () => {
    expect(rawTokens('T-Shirt, 12.99$!')).toEqual(['t', 'shirt', '12', '99']);
    expect(tokenize('I need some Running SHOES for the gym')).toEqual(['running', 'shoe', 'gym']);
    expect(tokenize('Batteries and boxes of glasses')).toEqual(['battery', 'box', 'glass']);
  });
  it('stems only plurals', () => {
    const cases: [string, string][] = [
      ['shirts', 'shirt'], ['shoes', 'shoe'], ['cases', 'case'], ['watches', 'watch'],
      ['dishes', 'dish'], ['boxes', 'box'], ['glasses', 'glass'], ['batteries', 'battery'],
      ['glass', 'glass'], ['cactus', 'cactus'], ['analysis', 'analysis'], ['gas', 'gas'],
      ['ties', 'ties'], ['washable', 'washable'], ['running', 'running'],
    ];
    for (const [w, s] of cases) expect(stem(w), w).toBe(s);
  });
});

describe('SearchIndex', () => {
  const index = new SearchIndex(CATALOG);

  it('ranks the product first for its exact title', () => {
    for (const p of CATALOG) expect(index.search(p.title)[0], p.title).toBe(p.id);
  });

  it('attribute words pull matching products up', () => {
    // "t-shirt" alone: both t-shirts; "machine washable" lifts B00001 (cotton, machine washable).
    const plain = index.search('t-shirt');
    expect(plain.slice(0, 2).sort()).toEqual(['B00001', 'B00002']);
    const res = index.search('machine washable t-shirt');
    expect(res[0]).toBe('B00001');
    expect(res[1]).toBe('B00002');
    // the other machine-washable products come back too, below the t-shirts
    expect(res).toContain('B00003');
    expect(res).toContain('B00012');
    // "gluten free" separates the gluten-free grocery items from the coffee
    const g = index.search('organic gluten free');
    expect(g[0]).toBe('B00009');
    expect(g.indexOf('B00010')).toBeLessThan(g.indexOf('B00008'));
  });

  it('idf: a rare word outweighs a common one', () => {
    // 'organic' is in 2 products, 'wireless' in 2, 'silicone' in 1, 'machine' in 3.
    expect(index.idf('silicone')).toBeGreaterThan(index.idf('machine'));
    expect(index.docFreq('machine')).toBe(3);
    expect(index.docFreq('silicone')).toBe(1);
    // Query with one rare word (kangaroo: only B00003) and one common (washable: 3 products).
    const res = index.search('kangaroo washable');
    expect(res[0]).toBe('B00003');
    expect(index.score('kangaroo', 'B00003')).toBeGreaterThan(index.score('washable', 'B00003'));
  });

  it('reviews are not indexed; unknown words give nothing', () => {
    // B00012's review talks about coffee: only the coffee product matches.
    expect(index.search('coffee')).toEqual(['B00008']);
    expect(index.search('zzzz')).toEqual([]);
    expect(index.search('the and of')).toEqual([]);
    expect(index.score('zzzz', 'B00001')).toBe(0);
    expect(() => index.score('coffee', 'B99999')).toThrow();
  });

  it('respects limit and returns only matching products', () => {
    expect(index.search('black', 2)).toHaveLength(2);
    expect(index.search('black', 0)).toEqual([]);
    expect(index.search('black').length).toBe(3); // B00002, B00005, B00011
  });

  it('matches the BM25 formula on a 3-document corpus (hand computation)', () => {
    // Only description (weight 1) and title (weight 2) hold text.
    //   A: desc "red shirt red"   -> red 2, shirt 1, dl 3
    //   B: desc "blue shirt"      -> blue 1, shirt 1, dl 2
    //   C: title "skirt", desc "red dress" -> skirt 2 (title x2), red 1, dress 1, dl 4
    // N = 3, avgdl = 3, k1 = 0.9, b = 0.4.
    // idf(df=2) = ln(1 + 1.5/2.5) = ln 1.6 = 0.470004; idf(df=1) = ln(1 + 2.5/1.5) = ln(8/3) = 0.980829.
    // term(tf, dl) = idf * tf * 1.9 / (tf + 0.9 * (0.6 + 0.4 * dl / 3))
    //   A "red shirt": 0.470004 * (2*1.9/(2+0.9) + 1*1.9/(1+0.9)) = 0.470004 * (1.310345 + 1) = 1.085870
    //   B "red shirt": 0.470004 * 1.9/(1 + 0.9*(0.6+0.4*2/3)) = 0.470004 * 1.9/1.78 = 0.501689
    //   C "red shirt": 0.470004 * 1.9/(1 + 0.9*(0.6+0.4*4/3)) = 0.470004 * 1.9/2.02 = 0.442083
    //   C "skirt":     0.980829 * 2*1.9/(2 + 0.9*(0.6+0.4*4/3)) = 0.980829 * 3.8/3.02 = 1.234156
    const tiny = new SearchIndex([
      mk('A', { description: 'red shirt red' }),
      mk('B', { description: 'blue shirt' }),
      mk('C', { title: 'skirt', description: 'red dress' }),
    ]);
    expect(tiny.idf('red')).toBeCloseTo(0.470004, 6);
    expect(tiny.idf('skirt')).toBeCloseTo(0.980829, 6);
    expect(tiny.score('red shirt', 'A')).toBeCloseTo(1.08587, 6);
    expect(tiny.score('red shirt', 'B')).toBeCloseTo(0.501689, 6);
    expect(tiny.score('red shirt', 'C')).toBeCloseTo(0.442083, 6);
    expect(tiny.score('skirt', 'C')).toBeCloseTo(1.234156, 6);
    // duplicates in the query count once; stop words and plurals are normalised
    expect(tiny.score('the red red shirts', 'A')).toBeCloseTo(1.08587, 6);
    expect(tiny.search('red shirt')).toEqual(['A', 'B', 'C']);
  });

  it('breaks ties by id, deterministically', () => {
    const twins = ['B00300', 'B00100', 'B00200'].map((id) =>
      mk(id, { title: 'Blue Ceramic Mug', description: 'dishwasher safe' }),
    );
    const idx = new SearchIndex([...twins, mk('B00050', { title: 'Red Ceramic Bowl' })]);
    expect(idx.search('blue mug')).toEqual(['B00100', 'B00200', 'B00300']);
    // the bowl is shorter (higher BM25 with b > 0); the three twins tie and go by id
    expect(idx.search('ceramic')).toEqual(['B00050', 'B00100', 'B00200', 'B00300']);
    expect(new SearchIndex([...twins].reverse()).search('blue mug')).toEqual(['B00100', 'B00200', 'B00300']);
  });

  it('rejects duplicate ids', () => {
    expect(() => new SearchIndex([mk('X', {}), mk('X', {})])).toThrow(/duplicate/);
  });

  it('builds 2,000 products and answers queries fast (logged)', () => {
    const words = ['cotton', 'wireless', 'organic', 'leather', 'waterproof', 'vintage', 'portable',
      'stainless', 'steel', 'bamboo', 'ceramic', 'velvet', 'gluten', 'free', 'slim', 'fit', 'large',
      'compact', 'charging', 'travel', 'kitchen', 'garden', 'office', 'bluetooth', 'silicone'];
    const types = ['shirt', 'mug', 'lamp', 'speaker', 'wallet', 'backpack', 'tea', 'pillow', 'chair', 'watch'];
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = (k: number): string[] => Array.from({ length: k }, () => words[rnd(words.length)]!);
    const products = Array.from({ length: 2000 }, (_, i) => {
      const type = types[i % types.length]!;
      return mk(`B${String(i).padStart(5, '0')}`, {
        type,
        title: `${pick(4).join(' ')} ${type}`,
        description: pick(40).join(' '),
        features: [pick(6).join(' '), pick(6).join(' ')],
        attributes: [pick(2).join(' '), pick(1).join(' ')],
        options: { color: ['black', 'white', 'navy'], size: ['small', 'large'] },
        reviews: [pick(30).join(' ')],
      });
    });
    const t0 = performance.now();
    const idx = new SearchIndex(products);
    const t1 = performance.now();
    const queries = ['wireless bluetooth speaker', 'organic gluten free tea', 'leather wallet slim',
      'stainless steel travel mug', 'velvet pillow large navy'];
    const reps = 20;
    for (let r = 0; r < reps; r++) for (const q of queries) idx.search(q);
    const t2 = performance.now();
    const perQuery = (t2 - t1) / (reps * queries.length);
    console.log(`SearchIndex: build 2,000 products ${(t1 - t0).toFixed(1)} ms; query ${perQuery.toFixed(3)} ms`);
    expect(idx.size).toBe(2000);
    expect(idx.search('wireless bluetooth speaker', 10)).toHaveLength(10);
  });
});
