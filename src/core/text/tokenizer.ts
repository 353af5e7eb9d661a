/**
 * A word-level tokenizer for the lab's small text environments (Twenty Questions states and questions).
 *
 * Splitting rules (encode):
 *  - '\n' becomes the special token `<nl>`;
 *  - '?', '.', ':' and ',' are tokens of their own;
 *  - everything else is split on whitespace and lower-cased;
 *  - a word not in the vocabulary becomes `<unk>`.
 *
 * Ids 0..3 are the special tokens `<pad>`, `<unk>`, `<eou>` (end of utterance) and `<nl>`; the words
 * follow in sorted (code-point) order, so the same corpus always gives the same ids.
 *
 * Decoding joins the words with single spaces, puts no space before punctuation, turns `<nl>` into
 * '\n', drops `<pad>`, stops at `<eou>`, and restores case:
 *  - the first word of the text, of every line, and after a '?' or '.' is capitalised
 *    ("is it alive ? no ." -> "Is it alive? No.");
 *  - a word the corpus only ever wrote with capitals in mid-sentence keeps that spelling
 *    (the corpus' "Invalid Question." teaches "question" -> "Question").
 * So decode(encode(t)) === t for every text written in this canonical style (single spaces, lines
 * that start with a capital, sentence case after '?' and '.'), which includes the canonical
 * questions and the Twenty Questions state texts ("Questions:\nIs it alive? No.\n") as long as the
 * corpus contained the answer strings "Yes." "No." "Invalid Question.". Texts outside this style
 * come back normalised (e.g. "IS it  a CAR ?" -> "Is it a car?").
 */

export const PAD = 0;
export const UNK = 1;
export const EOU = 2;
export const NL = 3;
export const SPECIAL_TOKENS = ['<pad>', '<unk>', '<eou>', '<nl>'] as const;

const SPECIAL_SET: ReadonlySet<string> = new Set(SPECIAL_TOKENS);
const PUNCT = new Set(['?', '.', ':', ',']);
/** Punctuation after which the next word starts a sentence. */
const SENTENCE_END = new Set(['?', '.']);

export interface TokenizerJSON {
  kind: 'word-tokenizer';
  version: 1;
  /** The whole vocabulary in id order, the special tokens first. */
  vocab: string[];
  /** Mid-sentence spellings that are not plain lower case, e.g. { question: "Question" }. */
  cased: Record<string, string>;
}

/** Splits a text into surface pieces: words (case kept), punctuation and '\n'. */
function pieces(text: string): string[] {
  const out: string[] = [];
  const re = /\n|[?.:,]|[^\s?.:,]+/g;
  for (const m of text.matchAll(re)) out.push(m[0]);
  return out;
}

function capitalise(word: string): string {
  return word.length === 0 ? word : word[0]!.toUpperCase() + word.slice(1);
}

export class Tokenizer {
  private readonly ids: Map<string, number>;

  private constructor(
    private readonly vocab: readonly string[],
    private readonly cased: ReadonlyMap<string, string>,
  ) {
    this.ids = new Map(vocab.map((w, i) => [w, i]));
    if (this.ids.size !== vocab.length) throw new Error('tokenizer vocabulary has duplicate entries');
    SPECIAL_TOKENS.forEach((s, i) => {
      if (vocab[i] !== s) throw new Error(`tokenizer vocabulary must start with ${SPECIAL_TOKENS.join(' ')}`);
    });
  }

  /** Builds the vocabulary from a corpus: the special tokens, then every word and punctuation mark, sorted. */
  static fromCorpus(texts: readonly string[]): Tokenizer {
    const words = new Set<string>();
    // For every word, how often each spelling appears where it does not start a sentence.
    const spellings = new Map<string, Map<string, number>>();
    for (const text of texts) {
      let sentenceStart = true;
      for (const p of pieces(text)) {
        if (p === '\n') {
          sentenceStart = true;
          continue;
        }
        const w = p.toLowerCase();
        words.add(w);
        if (PUNCT.has(w)) {
          if (SENTENCE_END.has(w)) sentenceStart = true;
          continue;
        }
        if (!sentenceStart) {
          let m = spellings.get(w);
          if (!m) spellings.set(w, (m = new Map()));
          m.set(p, (m.get(p) ?? 0) + 1);
        }
        sentenceStart = false;
      }
    }
    for (const s of SPECIAL_TOKENS) words.delete(s);
    const sorted = [...words].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const cased = new Map<string, string>();
    for (const w of [...spellings.keys()].sort()) {
      const counts = spellings.get(w)!;
      let best = w;
      let bestCount = -1;
      for (const [s, c] of [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        if (c > bestCount) {
          best = s;
          bestCount = c;
        }
      }
      if (best !== w) cased.set(w, best);
    }
    return new Tokenizer([...SPECIAL_TOKENS, ...sorted], cased);
  }

  static fromJSON(json: TokenizerJSON): Tokenizer {
    if (!json || json.kind !== 'word-tokenizer' || json.version !== 1 || !Array.isArray(json.vocab)) {
      throw new Error('not a word-tokenizer JSON (expected kind "word-tokenizer", version 1)');
    }
    return new Tokenizer(json.vocab.slice(), new Map(Object.entries(json.cased ?? {})));
  }

  toJSON(): TokenizerJSON {
    return {
      kind: 'word-tokenizer',
      version: 1,
      vocab: this.vocab.slice(),
      cased: Object.fromEntries([...this.cased.entries()]),
    };
  }

  /** Vocabulary size, special tokens included. */
  get size(): number {
    return this.vocab.length;
  }

  /** Id of a token ('<eou>', 'banana', '?'), or undefined when it is not in the vocabulary. */
  idOf(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** The token string of an id. */
  tokenOf(id: number): string {
    const t = this.vocab[id];
    if (t === undefined) throw new Error(`token id ${id} is outside the vocabulary (size ${this.size})`);
    return t;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const p of pieces(text)) {
      if (p === '\n') out.push(NL);
      else {
        const w = p.toLowerCase();
        // A literal "<eou>" typed in a text is a word like any other, not the special token.
        out.push(SPECIAL_SET.has(w) ? UNK : (this.ids.get(w) ?? UNK));
      }
    }
    return out;
  }

  /** encode(text) followed by `<eou>`: the token sequence an agent emits for one utterance. */
  encodeUtterance(text: string): number[] {
    const out = this.encode(text);
    out.push(EOU);
    return out;
  }

  /** Canonical text of a token sequence; stops at the first `<eou>` and skips `<pad>`. */
  decode(ids: readonly number[]): string {
    let out = '';
    let sentenceStart = true;
    let lineStart = true;
    for (const id of ids) {
      if (id === EOU) break;
      if (id === PAD) continue;
      if (id === NL) {
        out += '\n';
        sentenceStart = true;
        lineStart = true;
        continue;
      }
      const tok = this.tokenOf(id);
      if (PUNCT.has(tok)) {
        out += tok;
        if (SENTENCE_END.has(tok)) sentenceStart = true;
        lineStart = false;
        continue;
      }
      let word = this.cased.get(tok) ?? tok;
      if (sentenceStart) word = capitalise(word);
      out += lineStart ? word : ` ${word}`;
      sentenceStart = false;
      lineStart = false;
    }
    return out;
  }
}
