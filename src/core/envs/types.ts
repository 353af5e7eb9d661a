/**
 * The one interface every text environment implements (Gymnasium-like).
 * `terminated`: the episode really ended (no bootstrap). `truncated`: cut by a limit (bootstrap through it).
 */
export interface ResetResult<I = Record<string, unknown>> {
  obs: string;
  info: I;
}

export interface StepResult<I = Record<string, unknown>> {
  obs: string;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: I;
}

export interface TextEnv<I = Record<string, unknown>> {
  readonly name: string;
  reset(seed: number): ResetResult<I>;
  step(actionText: string): StepResult<I>;
}
