/**
 * ArCHer's own Twenty Questions words, verbatim: `DEFAULT_OBJECT_DICT` in YifeiZhou02/ArCHer
 * `archer/environment/twenty_questions.py`. 157 words in 17 categories; `;` separates the names a
 * guess may use for the same word ("Airplane;Plane").
 *
 * The lab's knowledge base holds every one of them (the first name or one of its synonyms is an
 * object name or alias there, and every synonym resolves to that same object); `archer157Names`
 * and `archer10Names` give the presets' object lists in the reference's order.
 */
import { findObject, type KnowledgeBase } from './kb';

export const ARCHER_OBJECT_DICT: Readonly<Record<string, readonly string[]>> = {
  Sports: ['Basketball', 'Football', 'Baseball', 'Soccer ball', 'Golf ball', 'Tennis ball', 'Volleyball', 'Tennis racket', 'Baseball bat', 'Helmet'],
  Animals: ['Cat', 'Dog', 'Horse', 'Cow', 'Sheep', 'Rabbit', 'Lion', 'Tiger', 'Bear', 'Elephant'],
  Fruits: ['Apple', 'Banana', 'Orange', 'Strawberry', 'Grape', 'Watermelon', 'Pineapple', 'Mango', 'Cantaloupe', 'Peach'],
  Vehicles: ['Car', 'Truck', 'Motorcycle', 'Boat', 'Airplane;Plane', 'Train', 'Bus', 'Helicopter', 'Scooter', 'Ship'],
  Clothes: ['Shirt', 'Pants;Pant;Pair of pants', 'Jacket', 'Dress', 'Skirt', 'Belt', 'Shoes;Shoe;Pair of shoes', 'Boots;Boot;Pair of boots', 'Socks;Sock;Pair of socks', 'Hat', 'Scarf'],
  Electronics: ['Computer', 'Smartphone', 'Television;TV', 'Headphone;Headphones;Pair of headphones', 'Monitor;Computer monitor', 'Camera', 'Microwave;Microwave oven', 'Refrigerator', 'Blender', 'Computer keyboard;Keyboard'],
  'Musical Instruments': ['Piano', 'Guitar', 'Drum;Drums', 'Violin', 'Saxophone', 'Flute', 'Trumpet', 'Clarinet', 'Harp', 'Trombone'],
  Furniture: ['Chair', 'Table', 'Bed', 'Desk', 'Couch', 'Dresser', 'Bookcase', 'Nightstand', 'Mattress', 'Pillow'],
  'Office Supplies': ['Pen', 'Paper;Piece of paper', 'Stapler', 'Printer', 'Calculator', 'Battery;Battery pack;Pack of batteries', 'Toothbrush', 'Toothpaste', 'Pencil', 'Sharpie', 'Scissors;Pair of scissors', 'Key', 'Diary', 'Calendar'],
  Vegetables: ['Carrot', 'Potato', 'Broccoli', 'Tomato', 'Onion', 'Spinach', 'Corn', 'Peas;Pea', 'Celery', 'Cucumber'],
  Art: ['Painting;Canvas painting;Oil painting;Watercolor painting', 'Paintbrush', 'Canvas;Painting canvas', 'Eraser;Pencil eraser', 'Marker', 'Glue;Glue stick;Bottle of glue', 'Sculpture'],
  'Kitchen Tools': ['Knife', 'Spoon', 'Fork', 'Plate', 'Bowl', 'Cooking pot;Pot', 'Pan;Saucepan;Frying pan', 'Cup', 'Chopstick;Chopsticks;Pair of chopsticks', 'Whisk'],
  Nature: ['Rock', 'Tree', 'Bush', 'Mountain', 'Forest', 'Ocean', 'Sea', 'Lake', 'River', 'Meteorite', 'Cactus'],
  Toys: ['Lego;Lego set', 'Doll;Toy doll;Plush doll', 'Kite', 'Puzzle;Jigsaw puzzle'],
  Jewelry: ['Earring;Earrings;Pair of earrings', 'Necklace', 'Bracelet', 'Ring', 'Brooch', 'Hairclip', 'Pendant', 'Watch', 'Locket'],
  'Garden Supplies': ['Gloves;Glove;Pair of gloves', 'Shovel', 'Rake', 'Watering can', 'Lawn mower'],
  Tools: ['Hammer', 'Screwdriver', 'Wrench', 'Saw', 'Pliers;plier;Pair of pliers', 'Drill'],
};

/** The reference's word list flattened in its order, each word as its lower-cased synonyms (as the reference splits them). */
export const ARCHER_WORDS: readonly (readonly string[])[] = Object.values(ARCHER_OBJECT_DICT)
  .flat()
  .map((word) => word.split(';').map((w) => w.toLowerCase()));

/** The reference's 10-word subset (`llm_twenty_questions_subset.py`): items 1, 11, ..., 91 of the flattened list. */
export const ARCHER_10_INDICES: readonly number[] = [1, 11, 21, 31, 41, 51, 61, 71, 81, 91];

/**
 * The reference's win rule: the question's last word (trailing punctuation cut) must be one of the
 * word's synonyms, and the oracle must say yes. Multi-word words ("soccer ball", "watering can")
 * can never be won under it. The lab accepts the whole name or any alias instead; this function
 * is here so the README and tests can say which reference words the paper's agents could not win.
 */
export function referenceAcceptsGuess(question: string, synonyms: readonly string[]): boolean {
  const trimmed = question.replace(/[^A-Za-z]+$/, '');
  if (trimmed.length === 0) return false;
  const last = trimmed.split(' ').pop()!.toLowerCase();
  return synonyms.includes(last);
}

/** The lab object a reference word names: the first of its synonyms that is an object name or alias. */
export function labObjectFor(kb: KnowledgeBase, synonyms: readonly string[]): string {
  for (const s of synonyms) {
    const i = findObject(kb, s);
    if (i !== undefined) return kb.objects[i]!.name;
  }
  throw new Error(`Twenty Questions: the knowledge base has no object for ArCHer's word "${synonyms.join(';')}"`);
}

/** Every reference word's lab object name, in the reference's order (157 names, all different). */
export function archer157Names(kb: KnowledgeBase): string[] {
  return ARCHER_WORDS.map((w) => labObjectFor(kb, w));
}

/** The reference's 10-word subset as lab object names: football, dog, banana, truck, pants, computer, piano, chair, pen, scissors. */
export function archer10Names(kb: KnowledgeBase): string[] {
  const all = archer157Names(kb);
  return ARCHER_10_INDICES.map((i) => all[i]!);
}
