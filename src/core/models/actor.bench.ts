/**
 * Speed of the actor on the Node backends (cpu, wasm single-threaded):
 *   - generate(): 50 contexts of ~100 tokens, 8 sampled tokens each (KV-cached decoding);
 *   - one Adam training step: batch 32, context ~100 + utterance 8, loss -mean(sequenceLogProbs).
 * Run: npx tsx src/core/models/actor.bench.ts [cpu|wasm ...]   (default: both)
 * Not a test (vitest only picks up *.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { EOU, Tokenizer } from '../text/tokenizer';
import { Actor, DEFAULT_ACTOR_CONFIG } from './actor';
import { useBackend, type NodeBackend } from './node-backends';
import { behaviourCloningStep } from './test-fixtures';
import { FULL_KB } from '../envs/twenty-questions/kb';
import { guessQuestion } from '../envs/twenty-questions/grammar';

// The real Twenty Questions language (knowledge base questions and guesses): vocabulary ~500 words.
const QUESTIONS = [...FULL_KB.attributes.map((a) => a.question), ...FULL_KB.objects.map((o) => guessQuestion(o.name))];
const CORPUS = ['Questions:\n', 'Yes.', 'No.', 'Invalid Question.', ...QUESTIONS];

const ANSWERS = ['Yes.', 'No.', 'Invalid Question.'];

/** A Twenty Questions state text of about `tokens` tokens. */
function stateText(rng: Rng, tokens: number): string {
  let s = 'Questions:\n';
  let n = 3;
  while (n < tokens) {
    const q = rng.pick(QUESTIONS);
    const a = rng.pick(ANSWERS);
    s += `${q} ${a}\n`;
    n += q.split(' ').length + 3; // rough; the exact mean is printed below
  }
  return s;
}

async function time(label: string, reps: number, f: () => Promise<unknown> | unknown): Promise<number> {
  await f(); // warm-up (kernels, wasm JIT, optimizer slots)
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await f();
  const ms = (performance.now() - t0) / reps;
  console.log(`  ${label}: ${ms.toFixed(1)} ms`);
  return ms;
}

async function bench(backend: NodeBackend): Promise<void> {
  await useBackend(backend);
  const tok = Tokenizer.fromCorpus(CORPUS);
  const rng = new Rng(1);
  const actor = new Actor(tok, DEFAULT_ACTOR_CONFIG, new Rng(2));
  const contexts = Array.from({ length: 64 }, () => tok.encode(stateText(rng, 100)).slice(-100));
  const meanLen = contexts.reduce((a, c) => a + c.length, 0) / contexts.length;
  console.log(
    `${backend}: actor ${actor.numParams} params (dModel ${actor.config.dModel}, ${actor.config.nLayers} layers, maxLen ${actor.config.maxLen}), vocab ${tok.size}, contexts ~${meanLen.toFixed(0)} tokens`,
  );
  const before = tf.memory().numTensors;

  const gen50 = contexts.slice(0, 50);
  await time('generate, 50 contexts x 8 tokens (temperature 1)', 3, () =>
    actor.generate(gen50, { temperature: 1, maxTokens: 8, rng: new Rng(3) }),
  );
  // Force exactly 8 tokens per row (no early <eou>) to time the worst case.
  const w = actor.getWeights();
  const bias = Float32Array.from(w['lm_head.b']!.data);
  bias[EOU] = -30;
  actor.setWeights({ ...w, 'lm_head.b': { shape: [tok.size], data: bias } });
  await time('generate, 50 contexts x 8 tokens (no early stop)', 3, () =>
    actor.generate(gen50, { temperature: 1, maxTokens: 8, rng: new Rng(3) }),
  );
  actor.setWeights(w);

  const batch = contexts.slice(0, 32);
  const utts = batch.map((_, i) => {
    const u = tok.encodeUtterance(QUESTIONS[i % QUESTIONS.length]!);
    while (u.length < 8) u.unshift(u[0]!);
    return u.slice(-8);
  });
  const opt = tf.train.adam(1e-3);
  await time('train step, batch 32 x (~100 context + 8 utterance)', 3, () => behaviourCloningStep(actor, opt, batch, utts));
  await time('forward only (sequenceLogProbs), same batch', 3, () =>
    tf.tidy(() => actor.sequenceLogProbs(batch, utts).dataSync()),
  );
  opt.dispose();
  console.log(`  tensors leaked: ${tf.memory().numTensors - before - 0}`);
  actor.dispose();
}

const which = (process.argv.slice(2).length ? process.argv.slice(2) : ['cpu', 'wasm']) as NodeBackend[];
for (const b of which) await bench(b);
