import { useEffect, useState } from 'react';
import { TwentyQuestionsPanel } from './twenty-questions/TwentyQuestionsPanel';
import { TrainPanel } from './train/TrainPanel';
import { SettingsPanel } from './train/SettingsPanel';
import { ReplayPanel } from './replay/ReplayPanel';
import { RunsPanel } from './runs/RunsPanel';
import { LearnView } from './learn/LearnView';
import { ShopPanel } from './shop/ShopPanel';
import { BenchPanel } from './compare/BenchPanel';
import { useSettingsStore } from './train/settings-store';

type View = 'lab' | 'learn';

/** The view from the address (?view=learn), so a lesson can be linked. */
function viewFromLocation(): View {
  return new URLSearchParams(window.location.search).get('view') === 'learn' ? 'learn' : 'lab';
}

export function App() {
  const [view, setView] = useState<View>(viewFromLocation);
  const envName = useSettingsStore((s) => s.config.env.name);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (view === 'learn') params.set('view', 'learn');
    else params.delete('view');
    const search = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`);
  }, [view]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>archer-lab</h1>
        <p className="tagline">
          Reinforcement learning for language-model agents, in your browser: ArCHer and A*PO on Twenty Questions and
          WebShop.
        </p>
        <nav aria-label="Views" className="view-nav">
          <button type="button" aria-current={view === 'lab' ? 'page' : undefined} onClick={() => setView('lab')}>
            Lab
          </button>
          <button type="button" aria-current={view === 'learn' ? 'page' : undefined} onClick={() => setView('learn')}>
            Learn
          </button>
        </nav>
      </header>
      {/* The lab stays mounted (its run keeps training) while the Learn view is open. */}
      <main hidden={view !== 'lab'}>
        <TrainPanel />
        <SettingsPanel />
        {envName === 'webshop' ? <ShopPanel /> : <ReplayPanel />}
        <RunsPanel />
        <BenchPanel />
        {envName !== 'webshop' && <TwentyQuestionsPanel />}
      </main>
      {view === 'learn' && (
        <main>
          <LearnView />
        </main>
      )}
    </div>
  );
}
