/**
 * The object lists the game ships with, as names only (no knowledge base), so the UI thread can
 * offer them without loading the game: 'full' (every object of the lab's knowledge base),
 * 'subset10' (the lab's own ten, one per category), 'archer10' (exactly ArCHer's 10-word subset)
 * and 'archer157' (exactly ArCHer's 157 words).
 */
export const SUBSETS = ['full', 'subset10', 'archer10', 'archer157'] as const;
export type Subset = (typeof SUBSETS)[number];

/** How pickers and run names call each preset. */
export const SUBSET_LABELS: Readonly<Record<Subset, string>> = {
  full: 'all objects',
  subset10: "the lab's 10 objects",
  archer10: "ArCHer's 10 words",
  archer157: "ArCHer's 157 words",
};
