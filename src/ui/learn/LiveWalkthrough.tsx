/**
 * One ArCHer update on the live run's own data, stage by stage: the batch from the replay buffer,
 * the critic's forward pass, the target critic at s' and at a fresh a_pi, the four targets and
 * losses, the critic step and the soft target update, then the actor's sampled utterance, its
 * token log-probs, the advantage and the policy-gradient loss. Every number is the engine's, from
 * the very step that ran (the trainer's `explain` option); nothing is recomputed here.
 */
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { actorWalk, criticWalk, type ActorWalk, type CriticWalk } from '../../core/algos/archer/walkthrough';
import type { ActorExplain, CriticExplain } from '../../core/algos/archer/trainer';
import { trainerWorker } from '../clients/trainer-client';
import { useRunStore } from '../train/run-store';
import { Formula } from './Formula';
import { DataFlow, STAGES, type StageId } from './DataFlow';

export interface WalkSlice {
  critic?: CriticExplain;
  actor?: ActorExplain;
  iteration?: number;
  set(patch: Partial<Omit<WalkSlice, 'set'>>): void;
}

/** The last walk-through (also read by the test API). */
export const useWalkStore = create<WalkSlice>((set) => ({ set: (patch) => set(patch) }));

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

function Num({ id, value, label, digits = 4 }: { id: string; value: number; label?: string; digits?: number }) {
  return (
    <span className="walk-num">
      {label && <span className="walk-label">{label} = </span>}
      <span data-testid={`walk-${id}`} data-value={value}>{Number.isFinite(value) ? value.toFixed(digits) : String(value)}</span>
    </span>
  );
}

export function LiveWalkthrough() {
  const { critic, actor, iteration } = useWalkStore();
  const state = useRunStore((s) => s.status.state);
  const replaySize = useRunStore((s) => s.rows[s.rows.length - 1]?.['replay/size'] ?? 0);
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [slow, setSlow] = useState(false);
  const [active, setActive] = useState<StageId | undefined>();
  const idle = state === 'ready' || state === 'paused';

  const run = async (what: 'critic' | 'actor' | 'both') => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await trainerWorker().explain(what);
      useWalkStore.getState().set({ critic: r.critic, actor: r.actor, iteration: r.iteration });
      setIndex(0);
      if (slow) setActive(what === 'actor' ? 'actor-sample' : 'sample');
      else setActive(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  // Slow motion: walk the highlighted stage through the data flow, one stage every 1.6 s.
  useEffect(() => {
    if (!slow || !active) return;
    const order = STAGES.filter((s) => (s.part === 'critic' ? critic : actor)).map((s) => s.id);
    const at = order.indexOf(active);
    if (at < 0 || at === order.length - 1) return;
    const timer = setTimeout(() => setActive(order[at + 1]), 1600);
    return () => clearTimeout(timer);
  }, [slow, active, critic, actor]);

  const batchSize = critic?.batch.length ?? actor?.states.length ?? 0;
  const cw = critic ? criticWalk(critic, Math.min(index, batchSize - 1)) : undefined;
  const aw = actor ? actorWalk(actor, Math.min(index, batchSize - 1)) : undefined;
  const shown = (id: StageId) => !slow || !active || STAGES.findIndex((s) => s.id === id) <= STAGES.findIndex((s) => s.id === active);

  return (
    <section className="panel lesson walkthrough" aria-labelledby="walk-title" data-testid="live-walkthrough">
      <h2 id="walk-title">One ArCHer update, on the live run</h2>
      <p>
        Each button below runs one real update of the run in the Lab tab, on a batch sampled from its replay buffer, and shows every
        number of that update for one transition of the batch. The run's weights change, as they would in training; its iteration count
        does not. Pause the run first{replaySize === 0 ? ', and train at least one iteration so the replay buffer has transitions' : ''}.
      </p>
      <div className="row" role="group" aria-label="Run one update">
        <button type="button" disabled={!idle || busy} onClick={() => void run('critic')}>Step the critic</button>
        <button type="button" disabled={!idle || busy} onClick={() => void run('actor')}>Step the actor</button>
        <button type="button" disabled={!idle || busy} onClick={() => void run('both')}>Step both</button>
        <label className="inline-check">
          <input type="checkbox" checked={slow} onChange={(e) => setSlow(e.target.checked)} /> Slow motion
        </label>
        {busy && <span role="status">computing…</span>}
      </div>
      {!idle && <p className="note">The run is {state}: pause it in the Lab tab to step by hand.</p>}
      {error && <p role="alert" className="error" data-testid="walk-error">{error}</p>}
      <DataFlow active={slow ? active : undefined} part={critic && actor ? 'both' : critic ? 'critic' : actor ? 'actor' : undefined} />
      {batchSize > 0 && (
        <div className="row">
          <label htmlFor="walk-index">Transition shown</label>
          <input id="walk-index" type="number" min={1} max={batchSize} value={Math.min(index, batchSize - 1) + 1} onChange={(e) => setIndex(Math.max(0, Math.min(batchSize - 1, Number(e.target.value) - 1 || 0)))} />
          <span>of a batch of {batchSize} (after iteration {iteration})</span>
          {slow && active && <button type="button" onClick={() => setActive(undefined)}>Show all stages</button>}
        </div>
      )}
      {!critic && !actor && <p className="note">No update yet: press a button above.</p>}
      {cw && <CriticStages w={cw} shown={shown} active={active} />}
      {aw && shown('actor-sample') && <ActorStages w={aw} active={active} />}
    </section>
  );
}

function Stage({ id, title, active, children }: { id: StageId; title: string; active?: StageId; children: React.ReactNode }) {
  return (
    <article className={`walk-stage${active === id ? ' walk-active' : ''}`} data-testid={`stage-${id}`} aria-current={active === id ? 'step' : undefined}>
      <h3>{title}</h3>
      {children}
    </article>
  );
}

function CriticStages({ w, shown, active }: { w: CriticWalk; shown: (id: StageId) => boolean; active?: StageId }) {
  const d = w.done ? 1 : 0;
  return (
    <>
      {shown('sample') && (
        <Stage id="sample" title="1. Sample a batch from the replay buffer" active={active}>
          <p>Transition {w.index + 1} of {w.batchSize}: the state s (the game so far), the question a the actor asked, the reward r, and the next state s′.</p>
          <pre className="walk-text" data-testid="walk-state">{w.state}</pre>
          <p>a = <q data-testid="walk-action">{w.action}</q>, r = <span data-testid="walk-reward">{w.reward}</span>, done = <span data-testid="walk-done">{String(w.done)}</span></p>
          <pre className="walk-text">{w.nextState}</pre>
        </Stage>
      )}
      {shown('critic-forward') && (
        <Stage id="critic-forward" title="2. The critic at (s, a) and s" active={active}>
          <Formula display tex={'Q_1(s,a),\\; Q_2(s,a),\\; V_1(s),\\; V_2(s)'} />
          <p><Num id="q1" label="Q1" value={w.q1} /> <Num id="q2" label="Q2" value={w.q2} /> <Num id="v1" label="V1" value={w.v1} /> <Num id="v2" label="V2" value={w.v2} /></p>
          <p className="note">Two Q heads and two V heads on one shared encoder: taking the smaller of each pair later keeps over-estimates in check.</p>
        </Stage>
      )}
      {shown('target') && (
        <Stage id="target" title="3. The target critic at s′ and at a freshly sampled a^π" active={active}>
          <Formula display tex={"\\bar V_i(s'), \\qquad a^\\pi \\sim \\pi(\\cdot\\mid s), \\qquad \\bar Q_i(s, a^\\pi)"} />
          <p><Num id="vbar1Next" label="V̄1(s′)" value={w.vbar1Next} /> <Num id="vbar2Next" label="V̄2(s′)" value={w.vbar2Next} /></p>
          <p>a^π = <q data-testid="walk-apiCritic">{w.aPi}</q></p>
          <p><Num id="qbar1Pi" label="Q̄1(s,a^π)" value={w.qbar1Pi} /> <Num id="qbar2Pi" label="Q̄2(s,a^π)" value={w.qbar2Pi} /></p>
          <p className="note">The target critic is a slowly moving copy: bootstrapping from it, not from the critic being trained, keeps the targets from chasing themselves.</p>
        </Stage>
      )}
      {shown('targets') && (
        <Stage id="targets" title="4. Targets and losses" active={active}>
          <Formula display tex={"y_{Q_i} = r + \\gamma\\,(1-d)\\,\\bar V_i(s'), \\qquad y_{V_i} = \\bar Q_i(s, a^\\pi)"} />
          <p>
            y<sub>Q1</sub> = {w.reward} + {w.gamma} × (1 − {d}) × {f4(w.vbar1Next)} = <Num id="qTarget1" value={w.qTarget1} />;{' '}
            y<sub>Q2</sub> = {w.reward} + {w.gamma} × (1 − {d}) × {f4(w.vbar2Next)} = <Num id="qTarget2" value={w.qTarget2} />
          </p>
          <p>y<sub>V1</sub> = <Num id="vTarget1" value={w.vTarget1} />, y<sub>V2</sub> = <Num id="vTarget2" value={w.vTarget2} /></p>
          <Formula display tex={'\\mathcal L = \\tfrac1B\\sum_{b}\\big[(Q_1-y_{Q_1})^2 + (Q_2-y_{Q_2})^2 + (V_1-y_{V_1})^2 + (V_2-y_{V_2})^2\\big]'} />
          <p>This transition: ({f4(w.q1)} − {f4(w.qTarget1)})² = <Num id="sqErrQ1" value={w.sqErr.q1} />, ({f4(w.v1)} − {f4(w.vTarget1)})² = <Num id="sqErrV1" value={w.sqErr.v1} /></p>
          <p>
            Batch means: <Num id="lossQ1" label="Q1" value={w.losses.q1} /> <Num id="lossQ2" label="Q2" value={w.losses.q2} /> <Num id="lossV1" label="V1" value={w.losses.v1} />{' '}
            <Num id="lossV2" label="V2" value={w.losses.v2} />; total <Num id="lossTotal" value={w.losses.total} />
          </p>
        </Stage>
      )}
      {shown('critic-step') && (
        <Stage id="critic-step" title="5. The critic step and the soft target update" active={active}>
          <Formula display tex={'\\theta \\leftarrow \\mathrm{Adam}(\\theta, \\nabla_\\theta \\mathcal L), \\qquad \\bar\\theta \\leftarrow (1-\\tau)\\,\\bar\\theta + \\tau\\,\\theta'} />
          <p>Gradient norm before clipping: <Num id="criticGradNorm" value={w.gradNorm} /></p>
          <p>
            One weight ({w.polyak.name}), τ = <span data-testid="walk-tau">{w.tau}</span>: (1 − {w.tau}) × <Num digits={7} id="polyakBefore" value={w.polyak.targetBefore} /> + {w.tau} × <Num digits={7} id="polyakOnline" value={w.polyak.onlineAfterStep} /> ={' '}
            <Num digits={7} id="polyakAfter" value={w.polyak.targetAfter} />
          </p>
          <p className="note">Every weight of the target critic moves a fraction τ of the way toward the critic after each critic step.</p>
        </Stage>
      )}
    </>
  );
}

function ActorStages({ w, active }: { w: ActorWalk; active?: StageId }) {
  return (
    <>
      <Stage id="actor-sample" title="6. The actor samples an utterance at s" active={active}>
        <pre className="walk-text">{w.state}</pre>
        <p>a^π = <q data-testid="walk-apiActor">{w.aPi}</q></p>
        <div className="doc-table-wrap">
          <table className="walk-tokens" data-testid="walk-tokens">
            <caption>Token log-probabilities log π(a_t | s, a_&lt;t)</caption>
            <thead><tr><th scope="col">t</th><th scope="col">token</th><th scope="col">log π</th></tr></thead>
            <tbody>
              {w.tokens.map((t, i) => (
                <tr key={i}><td>{i + 1}</td><td>{t.token}</td><td data-testid="walk-token-logprob">{f4(t.logProb)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
        <Formula display tex={'\\log \\pi(a^\\pi\\mid s) = \\sum_t \\log \\pi(a_t \\mid s, a_{<t})'} />
        <p>Sum: <Num id="logProb" value={w.logProb} /></p>
      </Stage>
      <Stage id="advantage" title="7. The advantage, from the critic" active={active}>
        {w.looSamples >= 2 ? (
          <>
            <Formula display tex={'A_k = \\min(Q_1, Q_2)(s, a_k) - \\tfrac{1}{K-1} \\sum_{j \\ne k} \\min(Q_1, Q_2)(s, a_j)'} />
            <p className="note">
              <code>archer.loo_samples</code> = {w.looSamples} (this lab’s option, not the paper’s): K utterances are sampled at each
              state and the baseline is the mean Q of the others, E<sub>π</sub>Q(s, ·), the value V learns, taken from Q itself.
            </p>
            <p>
              <Num id="aq1" label="Q1" value={w.q1} /> <Num id="aq2" label="Q2" value={w.q2} />; the others at this state:{' '}
              <span data-testid="walk-looOthers" data-values={JSON.stringify(w.looOthers)}>{w.looOthers.map(f4).join(', ')}</span>
            </p>
            <p>A = min({f4(w.q1)}, {f4(w.q2)}) − mean({w.looOthers.map(f4).join(', ')}) = <Num id="advantage" value={w.advantage} /></p>
          </>
        ) : (
          <>
            <Formula display tex={'A = \\min(Q_1, Q_2)(s, a^\\pi) - \\min(V_1, V_2)(s)'} />
            <p>
              <Num id="aq1" label="Q1" value={w.q1} /> <Num id="aq2" label="Q2" value={w.q2} /> <Num id="av1" label="V1" value={w.v1} /> <Num id="av2" label="V2" value={w.v2} />
            </p>
            <p>A = min({f4(w.q1)}, {f4(w.q2)}) − min({f4(w.v1)}, {f4(w.v2)}) = <Num id="advantage" value={w.advantage} /></p>
          </>
        )}
        <p className="note">A positive advantage says this utterance is better than what the policy does on average at s: its probability goes up.</p>
      </Stage>
      <Stage id="pg" title="8. The policy-gradient loss and the actor step" active={active}>
        <Formula display tex={'\\mathcal L_\\pi = -\\tfrac1B \\sum_b \\log \\pi(a^\\pi_b\\mid s_b)\\, A_b \\; - \\; c_H\\, H(\\pi)'} />
        <p>
          Batch: <Num id="pgLoss" label="pg loss" value={w.pgLoss} /> (from the samples: <Num id="pgLossFromSamples" value={w.pgLossFromSamples} />){' '}
          <Num id="entropy" label="entropy" value={w.entropy} />, c_H = {w.entropyCoeff}; minimised: <Num id="actorLoss" value={w.loss} />
        </p>
        <p>Gradient norm before clipping: <Num id="actorGradNorm" value={w.gradNorm} /></p>
        {w.tokenLevel && <p className="note">This run is token-level: each token's weight is A − b(s, a_&lt;t), a learned per-token baseline, so the pg loss differs from the utterance-level recomputation.</p>}
      </Stage>
    </>
  );
}
