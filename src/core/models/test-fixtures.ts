/** Shared fixtures for the model tests and the benchmark (no test runner imports here). */
import * as tf from '@tensorflow/tfjs';
import type { Actor } from './actor';

export const QUESTIONS = [
  'Is it alive?',
  'Does it have wheels?',
  'Does it have an engine?',
  'Can it fly?',
  'Can you eat it?',
  'Is it yellow?',
  'Is it made of metal?',
  'Is it found in a kitchen?',
  'Is it found outdoors?',
  'Is it used for transport?',
  'Is it bigger than a car?',
  'Is it smaller than a breadbox?',
  'Is it a banana?',
  'Is it an apple?',
  'Is it a car?',
  'Is it a bicycle?',
  'Is it an eagle?',
  'Is it an elephant?',
  'Is it an ant?',
];
export const CORPUS = ['Questions:\n', 'Yes.', 'No.', 'Invalid Question.', ...QUESTIONS];

export const CONTEXTS = [
  'Questions:\n',
  'Questions:\nIs it alive? No.\n',
  'Questions:\nIs it alive? No.\nDoes it have wheels? Yes.\n',
];
export const TARGETS = ['Is it alive?', 'Does it have wheels?', 'Is it a car?'];

/** One maximum-likelihood step on (context, utterance) pairs; returns the loss (mean NLL per utterance). */
export function behaviourCloningStep(actor: Actor, opt: tf.Optimizer, contexts: number[][], utterances: number[][]): number {
  const loss = opt.minimize(() => tf.neg(tf.mean(actor.sequenceLogProbs(contexts, utterances))) as tf.Scalar, true, Object.values(actor.params));
  const value = loss!.dataSync()[0]!;
  loss!.dispose();
  return value;
}
