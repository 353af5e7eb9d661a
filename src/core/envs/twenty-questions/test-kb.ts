/** A tiny hand-made knowledge base for tests, so the grammar and the oracle are checked on known facts. */
import { buildKnowledgeBase } from './kb';
import type { AttributeSpec, CategorySpec, ObjectSpec, SizeReference } from './kb-types';

const categories: CategorySpec[] = [
  { id: 'fruit', phrases: ['fruit', 'fruits'], defaults: ['you_can_eat', 'grows_on_plants'] },
  { id: 'vehicle', phrases: ['vehicle', 'vehicles'], defaults: ['has_wheels', 'used_for_transport'] },
  { id: 'animal', phrases: ['animal', 'animals'], defaults: ['is_alive'] },
];

const attributes: AttributeSpec[] = [
  { id: 'has_wheels', family: 'has', question: 'Does it have wheels?', phrases: ['wheels', 'wheel', 'tires'] },
  { id: 'has_engine', family: 'has', question: 'Does it have an engine?', phrases: ['engine', 'engines', 'motor'] },
  { id: 'can_fly', family: 'can', question: 'Can it fly?', phrases: ['fly', 'flies'] },
  { id: 'you_can_eat', family: 'can_you', question: 'Can you eat it?', phrases: ['eat'] },
  { id: 'is_alive', family: 'is', question: 'Is it alive?', phrases: ['alive', 'living', 'living thing'] },
  { id: 'is_yellow', family: 'is', question: 'Is it yellow?', phrases: ['yellow'] },
  { id: 'made_of_metal', family: 'made_of', question: 'Is it made of metal?', phrases: ['metal', 'steel'] },
  { id: 'found_in_kitchen', family: 'found_in', question: 'Is it found in a kitchen?', phrases: ['kitchen', 'kitchens'] },
  { id: 'found_outdoors', family: 'found_in', question: 'Is it found outdoors?', phrases: ['outdoors', 'outside'] },
  { id: 'used_for_transport', family: 'used_for', question: 'Is it used for transport?', phrases: ['transport', 'transportation', 'travel'] },
  { id: 'grows_on_plants', family: 'can', question: 'Can it grow on a plant?', phrases: ['grow on a plant', 'grow on plants'] },
];

const objects: ObjectSpec[] = [
  { name: 'banana', aliases: ['bananas'], category: 'fruit', size: 1, has: ['is_yellow', 'found_in_kitchen'] },
  { name: 'apple', aliases: ['apples'], category: 'fruit', size: 1, has: ['found_in_kitchen', 'found_outdoors'] },
  { name: 'car', aliases: ['automobile', 'cars'], category: 'vehicle', size: 4, has: ['has_engine', 'made_of_metal', 'found_outdoors'] },
  { name: 'bicycle', aliases: ['bike'], category: 'vehicle', size: 3, has: ['made_of_metal', 'found_outdoors'] },
  { name: 'eagle', aliases: ['eagles'], category: 'animal', size: 3, has: ['can_fly', 'found_outdoors'] },
  { name: 'elephant', aliases: ['elephants'], category: 'animal', size: 5, has: ['found_outdoors'] },
  { name: 'ant', aliases: ['ants'], category: 'animal', size: 0, has: ['found_outdoors', 'found_in_kitchen'] },
];

const sizeReferences: SizeReference[] = [
  { phrases: ['coin', 'coins'], size: 0 },
  { phrases: ['phone', 'hand'], size: 1 },
  { phrases: ['breadbox', 'bread box'], size: 2 },
  { phrases: ['person', 'human'], size: 3 },
  { phrases: ['car'], size: 4 },
  { phrases: ['house'], size: 5 },
];

export const TEST_KB = buildKnowledgeBase({ categories, attributes, objects, sizeReferences });
