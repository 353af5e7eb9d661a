/**
 * DESIGN.md's worked example as a fixed lesson: one ArCHer update on one transition, worked by
 * hand in six stages. The numbers come from the trainer worker, which runs the engine's real loss
 * functions on 1-element tensors (`trainerWorker().workedExample()`); this file only shows them.
 *
 * "Show all" is the default, so scrolling shows everything; "Step through" reveals the stages one
 * at a time with Previous / Next stage buttons.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WorkedExampleInput, WorkedExampleResult } from '../../core/algos/archer/worked-example';
import { trainerWorker } from '../clients/trainer-client';
import { Formula } from './Formula';
import { clampStage, inputRows, samplesStoredAction, stageReadout, workedExampleStages, type Stage } from './worked-example-view';

export interface WorkedExampleData {
  input: WorkedExampleInput;
  result: WorkedExampleResult;
}

/** The inputs of the example as a table. */
export function WorkedExampleInputs({ input, result }: WorkedExampleData) {
  return (
    <div className="we-table-wrap">
      <table className="we-inputs">
        <caption>
          Inputs: one non-terminal turn of Twenty Questions.
          {samplesStoredAction(input) ? ' The freshly sampled a^π happens to be the stored a, so Q_i(s, a^π) = Q_i(s, a).' : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Meaning</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {inputRows(input, result).map((row) => (
            <tr key={row.tex}>
              <th scope="row">
                <Formula tex={row.tex} />
              </th>
              <td>{row.meaning}</td>
              <td className="we-num">{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StageArticle({ stage, current }: { stage: Stage; current: boolean }) {
  return (
    <article className={current ? 'we-stage we-current' : 'we-stage'} aria-labelledby={`we-stage-${stage.id}`} data-stage={stage.id}>
      <h3 id={`we-stage-${stage.id}`}>{stage.title}</h3>
      {stage.formulas.map((tex) => (
        <Formula key={tex} tex={tex} display />
      ))}
      <ul className="we-lines">
        {stage.lines.map((line) => (
          <li key={line.key} className="we-line">
            <Formula tex={line.labelTex} />
            <span className="we-sub">
              {' = '}
              {line.expression === null ? null : `${line.expression} = `}
              <strong className="we-value" data-testid={`we-${line.key}`}>
                {line.value}
              </strong>
            </span>
          </li>
        ))}
      </ul>
      <p className="we-why">{stage.explanation}</p>
    </article>
  );
}

export interface WorkedExampleStagesProps extends WorkedExampleData {
  /** How many stages to show, from the first (default: all). */
  visible?: number;
  /** Index of the stage to highlight (step-through mode), if any. */
  current?: number;
}

/** The six stages with the numbers substituted; presentational (the data arrive as props). */
export function WorkedExampleStages({ input, result, visible, current }: WorkedExampleStagesProps) {
  const stages = useMemo(() => workedExampleStages(input, result), [input, result]);
  const shown = visible === undefined ? stages : stages.slice(0, Math.max(0, visible));
  return (
    <div className="we-stages">
      {shown.map((stage, i) => (
        <StageArticle key={stage.id} stage={stage} current={i === current} />
      ))}
    </div>
  );
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: WorkedExampleData };

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function WorkedExampleLesson() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [mode, setMode] = useState<'all' | 'step'>('all');
  const [position, setPosition] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoad({ state: 'loading' });
    trainerWorker()
      .workedExample()
      .then(
        (data) => {
          if (!cancelled) setLoad({ state: 'ready', data });
        },
        (e: unknown) => {
          if (!cancelled) setLoad({ state: 'error', message: errorMessage(e) });
        },
      );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  const stages = useMemo(() => (load.state === 'ready' ? workedExampleStages(load.data.input, load.data.result) : []), [load]);
  const count = stages.length;
  const at = clampStage(position, count);
  const go = useCallback((delta: number) => setPosition((p) => clampStage(p + delta, count)), [count]);

  return (
    <section className="panel lesson worked-example" data-testid="worked-example" aria-labelledby="we-title">
      <h2 id="we-title">Worked example: one ArCHer update by hand</h2>
      <p>
        One transition from a game of Twenty Questions, pushed through every formula of an ArCHer update. The numbers below are not typed in: the
        trainer worker computes them with the same loss functions that train the agent.
      </p>
      {load.state === 'loading' && (
        <p role="status" className="note">
          Computing the example in the trainer worker…
        </p>
      )}
      {load.state === 'error' && (
        <div role="alert" className="we-error">
          <p className="error">Could not compute the worked example: {load.message}</p>
          <button type="button" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </div>
      )}
      {load.state === 'ready' && (
        <>
          <WorkedExampleInputs input={load.data.input} result={load.data.result} />
          <div className="we-controls" role="group" aria-label="How to show the stages">
            <button type="button" aria-pressed={mode === 'all'} onClick={() => setMode('all')}>
              Show all
            </button>
            <button
              type="button"
              aria-pressed={mode === 'step'}
              onClick={() => {
                setMode('step');
                setPosition(0);
              }}
            >
              Step through
            </button>
          </div>
          {mode === 'step' && (
            <div className="we-stepper">
              {/* aria-disabled rather than disabled: the button keeps keyboard focus at either end */}
              <button type="button" aria-disabled={at <= 0} onClick={() => go(-1)}>
                <span aria-hidden="true">‹ </span>Previous stage
              </button>
              <span className="we-position" aria-live="polite">
                {stageReadout(at, stages)}
              </span>
              <button type="button" aria-disabled={at >= count - 1} onClick={() => go(1)}>
                Next stage<span aria-hidden="true"> ›</span>
              </button>
            </div>
          )}
          <WorkedExampleStages
            input={load.data.input}
            result={load.data.result}
            {...(mode === 'step' ? { visible: at + 1, current: at } : {})}
          />
        </>
      )}
    </section>
  );
}
