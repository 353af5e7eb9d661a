/**
 * Shared data types of the generated WebShop (Yao et al. 2022): products of a synthetic catalog
 * and the shopping goals (instructions) that ask for one of them.
 */

export interface Product {
  /** 'B' + 5 digits, e.g. 'B00042'; unique within a catalog. */
  id: string;
  /** Product type, e.g. 't-shirt'. */
  type: string;
  /** Category of the type, e.g. 'fashion'. */
  category: string;
  /** The search query the product was listed under (WebShop's `query`), shared by its type: 't-shirts'. */
  query: string;
  /** The store's category path, parts separated by ' › ' (WebShop's `product_category`). */
  categoryPath: string;
  title: string;
  description: string;
  features: string[];
  reviews: string[];
  /** Lower-case attribute phrases the product has, e.g. 'machine washable', 'cotton'. */
  attributes: string[];
  /** Option group -> values, e.g. { size: ['small', 'medium', 'large'], color: ['navy', 'white'] }. */
  options: Record<string, string[]>;
  /** Dollars, 2 decimals. */
  price: number;
}

export interface Goal {
  index: number;
  productId: string;
  type: string;
  instruction: string;
  /** Asked attributes (a subset of the product's). */
  attributes: string[];
  /** Asked option per group (values the product offers). */
  options: Record<string, string>;
  /** Asked max price, >= the product's price. */
  priceUpper: number;
}
