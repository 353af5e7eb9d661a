/**
 * The shape of the Twenty Questions knowledge base: objects described by yes/no attributes,
 * and for every attribute the words the question grammar accepts for it.
 *
 * Grammar families (see grammar.ts): the question's template decides the family, the slot text
 * (lower-cased, articles dropped, plural folded to singular where listed) picks the attribute.
 *   category : "Is it a fruit?" / "Is it a kind of fruit?" / "Is it some kind of fruit?"  slot = category noun
 *   has      : "Does it have wheels?" / "Has it got wheels?"                               slot = part noun phrase
 *   can      : "Can it fly?" / "Is it able to fly?" / "Does it fly?"                      slot = verb phrase the object does
 *   can_you  : "Can you eat it?" / "Do you eat it?" / "Can people eat it?"                 slot = verb the person does with it
 *   is       : "Is it alive?" / "Is it usually red?"                                       slot = adjective phrase
 *   made_of  : "Is it made of wood?" / "Is it made from wood?" / "Is it made out of wood?"  slot = material
 *   found_in : "Is it found in a kitchen?" / "Would you find it in a kitchen?" / "Is it found outdoors?"  slot = place
 *   used_for : "Is it used for cooking?" / "Is it used to cook?" / "Do you use it for cooking?"  slot = purpose
 *   size     : "Is it bigger than a car?" / "Is it smaller than a car?" - answered from SizeClass
 */
export type AttributeFamily =
  | 'category'
  | 'has'
  | 'can'
  | 'can_you'
  | 'is'
  | 'made_of'
  | 'found_in'
  | 'used_for';

export interface AttributeSpec {
  /** snake_case id, unique across the knowledge base, e.g. "has_wheels". */
  id: string;
  family: AttributeFamily;
  /** The canonical question, exactly as policies ask it, e.g. "Does it have wheels?". */
  question: string;
  /**
   * Slot phrases the grammar accepts for this family, lower case, no articles, no punctuation.
   * The first is the canonical one (the one inside `question`). Include plurals and synonyms:
   * ["wheels", "wheel", "tires", "tyres"].
   */
  phrases: string[];
}

/**
 * Size classes, ordered. "Is it bigger than X?" is Yes when size(object) > size(X);
 * "Is it smaller than X?" is Yes when size(object) < size(X). X is a size reference noun or any
 * object of the knowledge base.
 *   0 tiny      smaller than a coin (ant, button, grain of rice)
 *   1 small     fits in a hand (apple, key, phone, pencil)
 *   2 medium    fits in a backpack / breadbox (cat, laptop, football, kettle)
 *   3 large     about a person, can't go in a bag (chair, bicycle, guitar, dog-sized-to-person)
 *   4 very large  about a car (car, cow, horse, piano, sofa)
 *   5 huge      bigger than a car (bus, elephant, whale, house, airplane)
 */
export type SizeClass = 0 | 1 | 2 | 3 | 4 | 5;

export interface SizeReference {
  /** Slot phrases, lower case without articles: ["coin", "coins"]. */
  phrases: string[];
  size: SizeClass;
}

export interface CategorySpec {
  /** snake_case id; the category attribute's id is `is_${id}`. */
  id: string;
  /** Canonical noun first, then synonyms and plurals: ["fruit", "fruits"]. */
  phrases: string[];
  /** Attribute ids every object of the category has unless it lists them in `not`. */
  defaults: string[];
}

export interface ObjectSpec {
  /** Canonical name, lower case, as the guess question uses it: "Is it a banana?". */
  name: string;
  /** Other names a guess may use ("bike" for bicycle, "automobile" for car), plurals too. */
  aliases: string[];
  /** A CategorySpec id. */
  category: string;
  size: SizeClass;
  /** Attribute ids this object has on top of its category's defaults (never category or size ids). */
  has: string[];
  /** Category defaults this object lacks. */
  not?: string[];
}
