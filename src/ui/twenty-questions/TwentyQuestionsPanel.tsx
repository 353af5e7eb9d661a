import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { envWorker, type GameState } from '../clients/env-client';
import type { TwentyQuestionsDescription } from '../../core/envs/twenty-questions/describe';
import { SUBSETS, SUBSET_LABELS, type Subset } from '../../core/envs/twenty-questions/subsets';


function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

export function TwentyQuestionsPanel() {
  const [subset, setSubset] = useState<Subset>('full');
  const [facts, setFacts] = useState<TwentyQuestionsDescription | null>(null);
  const [game, setGame] = useState<GameState | null>(null);
  const [watching, setWatching] = useState<string | null>(null);
  const [question, setQuestion] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    setFacts(null);
    void act(async () => {
      setFacts(await envWorker().describe(subset));
      setGame(await envWorker().newGame(subset, randomSeed()));
      setWatching(null);
    });
  }, [subset, act]);

  const ask = (e: FormEvent) => {
    e.preventDefault();
    const q = question;
    void act(async () => {
      setGame(await envWorker().ask(q));
      setQuestion('');
    });
  };

  const watch = (policy: 'expert' | 'random') =>
    act(async () => {
      setGame(await envWorker().watch(subset, policy, randomSeed()));
      setWatching(policy);
    });

  const newGame = () =>
    act(async () => {
      setGame(await envWorker().newGame(subset, randomSeed()));
      setWatching(null);
    });

  return (
    <section className="panel" aria-labelledby="tq-title">
      <h2 id="tq-title">Twenty Questions</h2>
      <p>
        The oracle hides an object; each question costs one point (reward -1), naming the object ends the game with
        reward 0. Ask yes/no questions such as <q>Is it alive?</q>, <q>Does it have wheels?</q>, <q>Is it bigger than a
        car?</q> or guess: <q>Is it a banana?</q>
      </p>
      <div className="row">
        <label>
          Objects{' '}
          <select value={subset} onChange={(e) => setSubset(e.target.value as Subset)} disabled={busy}>
            {SUBSETS.map((s) => (
              <option key={s} value={s}>
                {SUBSET_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={newGame} disabled={busy}>
          New game
        </button>
        <button type="button" onClick={() => void watch('expert')} disabled={busy}>
          Watch the expert
        </button>
        <button type="button" onClick={() => void watch('random')} disabled={busy}>
          Watch random
        </button>
      </div>
      {facts ? (
        <dl className="facts" data-testid="tq-facts">
          <div><dt>objects</dt><dd>{facts.objects}</dd></div>
          <div><dt>categories</dt><dd>{facts.categories}</dd></div>
          <div><dt>attributes</dt><dd>{facts.attributes}</dd></div>
          <div><dt>expert bound</dt><dd>{facts.optimalBound.toFixed(2)}</dd></div>
        </dl>
      ) : (
        <p role="status">Loading the knowledge base…</p>
      )}
      {game && (
        <div className="game">
          {watching && <p className="note">Replay of the {watching} policy.</p>}
          <ol className="conversation" aria-label="Questions and answers">
            {game.turns.map((t, i) => (
              <li key={i}>
                <span className="q">{t.question}</span>{' '}
                <span className={`a a-${t.answer.replace(/\W/g, '').toLowerCase()}`}>{t.answer}</span>
              </li>
            ))}
          </ol>
          <p role="status" data-testid="tq-status">
            {game.done
              ? `${game.won ? 'Solved' : 'Not solved'}: it was ${game.target}. Return ${game.total}.`
              : `Turn ${game.turn + 1} of ${game.maxTurns}. Return so far ${game.total}.`}
          </p>
          {!game.done && !watching && (
            <form onSubmit={ask} className="row">
              <label htmlFor="tq-question" className="sr-only">
                Your question
              </label>
              <input
                id="tq-question"
                value={question}
                onChange={(e) => setQuestion(e.target.value)}
                placeholder="Is it alive?"
                autoComplete="off"
                disabled={busy}
              />
              <button type="submit" disabled={busy || question.trim() === ''}>
                Ask
              </button>
            </form>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
