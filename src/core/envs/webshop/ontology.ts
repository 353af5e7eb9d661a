/**
 * Hand-written product ontology of the generated WebShop. Every product type lists the words a
 * title uses, a pool of attribute phrases in WebShop's style ('machine washable', 'bpa free'),
 * materials, option groups with their values, a price range, brands and phrase templates.
 *
 * Templates use placeholders that the catalog fills in:
 *   {brand} {type} {noun} (a synonym) {material} {attr} (one attribute) {attrs} (all, joined)
 *   {options} (every option group listed) {option} (one option value)
 */

export interface ProductTypeSpec {
  /** Canonical product type, lower case; titles and instructions use it. */
  type: string;
  category: string;
  /** The search query its products were listed under (WebShop's `query`; the reward's query_match). */
  query: string;
  /** Its category path in the store, ' › ' between parts (WebShop's `product_category`; the reward's category_match). */
  path: string;
  /** Synonyms for descriptions and reviews (the title always carries `type`). */
  nouns: string[];
  /** Attribute phrases, lower case, distinct, 8-15 of them. */
  attributes: string[];
  /** Attribute sets of which a product has at most one (e.g. 'slim fit' / 'relaxed fit'). */
  exclusive?: string[][];
  /** Materials; one goes into the title and it may count as an attribute. */
  materials: string[];
  /** Option group -> the values a product may offer (lower case, >= 2 per group). */
  options: Record<string, string[]>;
  /** Price range in dollars [min, max]. */
  price: [number, number];
  brands: string[];
  /** Each must contain {attrs} and {options}. */
  descriptions: string[];
  /** Each must contain {attr}; one feature line per attribute. */
  features: string[];
  /** Customer reviews; may use {attr}, {noun}, {type}, {option}. */
  reviews: string[];
}

const COLORS = ['black', 'white', 'navy', 'grey', 'red', 'blue', 'green', 'pink', 'beige', 'purple'];

export const ONTOLOGY: readonly ProductTypeSpec[] = [
  {
    type: 't-shirt',
    category: 'fashion',
    query: 't-shirts',
    path: 'Clothing, Shoes & Jewelry › Men › Clothing › Shirts › T-Shirts',
    nouns: ['tee', 'shirt', 'crew neck top'],
    attributes: [
      'machine washable', 'short sleeve', 'slim fit', 'relaxed fit', 'moisture wicking',
      'crew neck', 'v neck', 'tagless', 'quick drying', 'wrinkle free', 'pre shrunk', 'breathable',
    ],
    exclusive: [['slim fit', 'relaxed fit'], ['crew neck', 'v neck']],
    materials: ['cotton', 'organic cotton', 'polyester', 'cotton blend', 'bamboo viscose'],
    options: {
      size: ['x-small', 'small', 'medium', 'large', 'x-large', 'xx-large'],
      color: COLORS,
      'pack of': ['1', '2', '3', '5'],
    },
    price: [8, 35],
    brands: ['Hanford', 'Northline', 'Basic Thread', 'Urbane Co', 'Softwear'],
    descriptions: [
      'This {brand} {type} is cut from soft {material}. It is {attrs}. Available in {options}.',
      'An everyday {noun} from {brand}: {attrs}, made of {material}. Choose from {options}.',
    ],
    features: ['{attr} for all day comfort', 'designed to be {attr}', '{attr} construction'],
    reviews: [
      'fits true to size and is really {attr}. i got the {option} one.',
      'great {noun} for the price, {attr} as described.',
      'the fabric is thin but it is {attr}, would buy again.',
      'washed it a few times and it still looks new.',
    ],
  },
  {
    type: 'running shoes',
    category: 'fashion',
    query: 'running shoes',
    path: 'Clothing, Shoes & Jewelry › Men › Shoes › Athletic › Running',
    nouns: ['sneakers', 'trainers', 'athletic shoes'],
    attributes: [
      'non slip', 'lightweight', 'breathable mesh', 'arch support', 'memory foam insole',
      'rubber sole', 'lace up', 'shock absorbing', 'wide toe box', 'water resistant', 'slip on',
      'cushioned',
    ],
    exclusive: [['lace up', 'slip on']],
    materials: ['knit', 'mesh', 'synthetic leather', 'suede'],
    options: {
      size: ['6', '6.5', '7', '7.5', '8', '8.5', '9', '9.5', '10', '10.5', '11', '12'],
      color: COLORS,
      width: ['narrow', 'standard', 'wide', 'extra wide'],
    },
    price: [30, 140],
    brands: ['Stridex', 'Velora', 'TrailPeak', 'Kinetic', 'Fleetfoot'],
    descriptions: [
      '{brand} {type} with a {material} upper. They are {attrs}. Offered in {options}.',
      'Run farther in these {material} {noun}: {attrs}. Pick from {options}.',
    ],
    features: ['{attr} for long runs', '{attr} design', 'engineered to be {attr}'],
    reviews: [
      'super comfortable, the {attr} part really helps my knees.',
      'ordered the {option} and they fit perfectly.',
      'good {noun} for the gym, {attr} and stylish.',
      'sole wore out after a few months of daily running.',
    ],
  },
  {
    type: 'hair extension',
    category: 'beauty',
    query: 'hair extensions',
    path: 'Beauty & Personal Care › Hair Care › Hair Extensions, Wigs & Accessories › Hair Extensions',
    nouns: ['hairpiece', 'clip in hair', 'hair weft'],
    attributes: [
      'clip in', 'natural looking', 'long lasting', 'heat resistant', 'tangle free', 'straight',
      'wavy', 'curly', 'easy to apply', 'reusable', 'thick', 'seamless',
    ],
    exclusive: [['straight', 'wavy', 'curly']],
    materials: ['human hair', 'remy hair', 'synthetic fiber'],
    options: {
      length: ['12 inch', '14 inch', '16 inch', '18 inch', '20 inch', '22 inch', '24 inch'],
      color: ['jet black', 'natural black', 'dark brown', 'medium brown', 'ash blonde', 'platinum blonde', 'auburn'],
      'pack of': ['1', '2', '4'],
    },
    price: [12, 90],
    brands: ['Lusthair', 'Silkora', 'BellaMane', 'Crowned', 'Glamlocks'],
    descriptions: [
      '{brand} {type} made from {material}. It is {attrs}. Comes in {options}.',
      'Add volume in minutes with this {noun}: {attrs}, {material}. Available in {options}.',
    ],
    features: ['{attr} for everyday styling', '{attr} finish', 'completely {attr}'],
    reviews: [
      'blends with my own hair, looks {attr}.',
      'i bought {option} and the color matched well.',
      'really {attr}, i have worn this {noun} for weeks.',
      'a bit shedding at first but fine after washing.',
    ],
  },
  {
    type: 'face moisturizer',
    category: 'beauty',
    query: 'face moisturizers',
    path: 'Beauty & Personal Care › Skin Care › Face › Creams & Moisturizers › Face Moisturizers',
    nouns: ['face cream', 'moisturizing lotion', 'day cream'],
    attributes: [
      'fragrance free', 'paraben free', 'oil free', 'non comedogenic', 'cruelty free',
      'for sensitive skin', 'for dry skin', 'long lasting', 'dermatologist tested', 'vegan',
      'with spf 30', 'fast absorbing',
    ],
    materials: ['hyaluronic acid', 'shea butter', 'aloe vera', 'niacinamide', 'vitamin c'],
    options: {
      size: ['1 fl oz', '1.7 fl oz', '2.5 fl oz', '3.4 fl oz', '5 fl oz'],
      scent: ['unscented', 'lavender', 'cucumber', 'rose', 'citrus'],
      'pack of': ['1', '2', '3'],
    },
    price: [6, 60],
    brands: ['Dermaluxe', 'PureGlow', 'Velvetine', 'Aquafine', 'Botanica'],
    descriptions: [
      'A daily {type} by {brand} with {material}. It is {attrs}. Sold in {options}.',
      'Hydrate with this {noun} powered by {material}: {attrs}. Choose {options}.',
    ],
    features: ['{attr} formula', 'gentle and {attr}', '{attr}, suitable for daily use'],
    reviews: [
      'my skin feels soft all day, and it is {attr}.',
      'the {option} version is my favorite.',
      'nice {noun}, {attr} like the label says.',
      'a little greasy for my taste but it works.',
    ],
  },
  {
    type: 'headphones',
    category: 'electronics',
    query: 'headphones',
    path: 'Electronics › Headphones, Earbuds & Accessories › Headphones › Over-Ear Headphones',
    nouns: ['headset', 'over ear headphones', 'earphones'],
    attributes: [
      'wireless', 'bluetooth', 'noise cancelling', 'foldable', 'built in microphone',
      'long battery life', 'fast charging', 'over ear', 'on ear', 'lightweight', 'deep bass',
      'hands free calling',
    ],
    exclusive: [['over ear', 'on ear']],
    materials: ['plastic', 'aluminum', 'protein leather'],
    options: {
      color: COLORS,
      'battery life': ['20 hours', '30 hours', '40 hours', '60 hours'],
      style: ['standard', 'with case', 'kids edition', 'gaming edition'],
    },
    price: [18, 300],
    brands: ['Sonique', 'BassLab', 'Auralis', 'Quietone', 'Echovox'],
    descriptions: [
      '{brand} {type} with a {material} frame. They are {attrs}. Available in {options}.',
      'Enjoy your music with these {noun}: {attrs}, built from {material}. Options: {options}.',
    ],
    features: ['{attr} for work and travel', '{attr} technology', 'truly {attr}'],
    reviews: [
      'sound is great and it is {attr}.',
      'bought the {option} model, very happy.',
      'best {noun} i have owned, {attr} and comfortable.',
      'the ear pads get warm after an hour.',
    ],
  },
  {
    type: 'coffee maker',
    category: 'home and kitchen',
    query: 'coffee makers',
    path: 'Home & Kitchen › Kitchen & Dining › Coffee, Tea & Espresso › Coffee Makers',
    nouns: ['coffee machine', 'drip brewer', 'coffee brewer'],
    attributes: [
      'programmable', 'auto shut off', 'easy to clean', 'dishwasher safe carafe', 'bpa free',
      'compact', 'keep warm plate', 'reusable filter', 'single serve', 'brew strength control',
      'thermal carafe', 'one touch',
    ],
    materials: ['stainless steel', 'plastic', 'glass'],
    options: {
      capacity: ['4 cups', '5 cups', '8 cups', '10 cups', '12 cups', '14 cups'],
      color: ['black', 'white', 'red', 'silver', 'cream'],
      style: ['drip', 'pour over', 'espresso', 'cold brew'],
    },
    price: [20, 220],
    brands: ['BrewMaster', 'Cafelle', 'Morning Mill', 'Kettleton', 'Roastwell'],
    descriptions: [
      'The {brand} {type} has a {material} body. It is {attrs}. Choose {options}.',
      'Brew better mornings with this {noun}: {attrs}, made of {material}. Comes in {options}.',
    ],
    features: ['{attr} for busy mornings', '{attr} design', 'conveniently {attr}'],
    reviews: [
      'makes hot coffee fast and it is {attr}.',
      'i got the {option} size, perfect for two people.',
      'solid {noun}, {attr} as promised.',
      'the carafe drips a little when pouring.',
    ],
  },
  {
    type: 'water bottle',
    category: 'home and kitchen',
    query: 'water bottles',
    path: 'Home & Kitchen › Kitchen & Dining › Storage & Organization › Water Bottles',
    nouns: ['drink bottle', 'sports bottle', 'tumbler'],
    attributes: [
      'bpa free', 'leak proof', 'insulated', 'dishwasher safe', 'keeps drinks cold',
      'wide mouth', 'with straw lid', 'lightweight', 'sweat proof', 'easy to clean',
      'with carry handle', 'double wall',
    ],
    materials: ['stainless steel', 'tritan plastic', 'glass', 'aluminum'],
    options: {
      capacity: ['12 oz', '18 oz', '24 oz', '32 oz', '40 oz', '64 oz'],
      color: COLORS,
      'pack of': ['1', '2', '4'],
    },
    price: [7, 50],
    brands: ['HydroPeak', 'Aquaflow', 'Summitsip', 'Coolcan', 'Vessel Co'],
    descriptions: [
      'A {material} {type} from {brand}. It is {attrs}. Available in {options}.',
      'Stay hydrated with this {noun}: {attrs}, {material} build. Pick {options}.',
    ],
    features: ['{attr} for the gym and office', '{attr} construction', 'fully {attr}'],
    reviews: [
      'it is {attr} and fits my cup holder.',
      'the {option} one is the right size for hikes.',
      'my kids love this {noun}, {attr} and sturdy.',
      'the paint chipped after a drop.',
    ],
  },
  {
    type: 'desk lamp',
    category: 'home and kitchen',
    query: 'desk lamps',
    path: 'Home & Kitchen › Lighting › Lamps & Shades › Desk Lamps',
    nouns: ['table lamp', 'reading lamp', 'led lamp'],
    attributes: [
      'dimmable', 'eye caring', 'touch control', 'usb charging port', 'adjustable arm',
      'energy efficient', 'flicker free', 'with timer', 'memory function', 'foldable',
      'wireless charger', 'color temperature adjustable',
    ],
    materials: ['aluminum', 'metal', 'abs plastic', 'wood'],
    options: {
      color: ['black', 'white', 'silver', 'gold', 'walnut'],
      'light color': ['warm white', 'cool white', 'daylight', 'rgb'],
      'pack of': ['1', '2'],
    },
    price: [15, 120],
    brands: ['Lumina', 'BrightNest', 'Glowwise', 'Studylite', 'Halo Home'],
    descriptions: [
      'The {brand} {type} has a {material} base. It is {attrs}. Offered in {options}.',
      'Light up your desk with this {noun}: {attrs}, made of {material}. Choose {options}.',
    ],
    features: ['{attr} for reading and study', '{attr} design', 'conveniently {attr}'],
    reviews: [
      'bright and {attr}, great for late nights.',
      'got it in {option}, looks nice on my desk.',
      'nice {noun}, {attr} and easy to set up.',
      'the base is a little wobbly.',
    ],
  },
  {
    type: 'yoga mat',
    category: 'sports and outdoors',
    query: 'yoga mats',
    path: 'Sports & Outdoors › Exercise & Fitness › Yoga › Yoga Mats',
    nouns: ['exercise mat', 'fitness mat', 'pilates mat'],
    attributes: [
      'non slip', 'extra thick', 'eco friendly', 'with carrying strap', 'latex free',
      'sweat resistant', 'easy to clean', 'lightweight', 'double sided', 'tear resistant',
      'odor free', 'high density',
    ],
    materials: ['tpe', 'natural rubber', 'cork', 'pvc', 'nbr foam'],
    options: {
      thickness: ['1/8 inch', '1/4 inch', '1/3 inch', '1/2 inch'],
      color: COLORS,
      size: ['standard', 'long', 'extra wide'],
    },
    price: [12, 90],
    brands: ['Zenflex', 'Asana Pro', 'Groundwell', 'Balancia', 'Lotus Loop'],
    descriptions: [
      'A {material} {type} from {brand}. It is {attrs}. Available in {options}.',
      'Practice anywhere on this {noun}: {attrs}, {material}. Choose {options}.',
    ],
    features: ['{attr} for yoga and pilates', '{attr} surface', 'reliably {attr}'],
    reviews: [
      'good grip and {attr}, even in hot yoga.',
      'the {option} is perfect for my knees.',
      'a quality {noun}, {attr} as described.',
      'it had a smell for the first few days.',
    ],
  },
  {
    type: 'backpack',
    category: 'sports and outdoors',
    query: 'backpacks',
    path: 'Sports & Outdoors › Outdoor Recreation › Camping & Hiking › Backpacks & Bags',
    nouns: ['daypack', 'rucksack', 'laptop bag'],
    attributes: [
      'water resistant', 'lightweight', 'laptop compartment', 'anti theft', 'padded straps',
      'usb charging port', 'large capacity', 'multiple pockets', 'durable', 'breathable back panel',
      'travel friendly', 'foldable',
    ],
    materials: ['nylon', 'polyester', 'canvas', 'vegan leather'],
    options: {
      color: COLORS,
      capacity: ['15 l', '20 l', '25 l', '30 l', '40 l'],
      'laptop size': ['13 inch', '14 inch', '15.6 inch', '17 inch'],
    },
    price: [15, 150],
    brands: ['Trekora', 'Packwell', 'Urban Nomad', 'Alpine Trail', 'Carryon'],
    descriptions: [
      'The {brand} {type} is made of {material}. It is {attrs}. Comes in {options}.',
      'Carry everything in this {noun}: {attrs}, {material} shell. Pick from {options}.',
    ],
    features: ['{attr} for school and travel', '{attr} design', 'built to be {attr}'],
    reviews: [
      'roomy and {attr}, i use it every day.',
      'got the {option} and it fits everything i need.',
      'a great {noun}, {attr} and well made.',
      'zippers feel a bit cheap.',
    ],
  },
];

/** The spec for a product type, or undefined. */
export function typeSpec(type: string): ProductTypeSpec | undefined {
  return ONTOLOGY.find((s) => s.type === type);
}

/** All product types, in ontology order. */
export const PRODUCT_TYPES: readonly string[] = ONTOLOGY.map((s) => s.type);
