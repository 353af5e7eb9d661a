import { TwentyQuestionsPanel } from './twenty-questions/TwentyQuestionsPanel';
import { TrainPanel } from './train/TrainPanel';
import { SettingsPanel } from './train/SettingsPanel';
import { ReplayPanel } from './replay/ReplayPanel';
import { RunsPanel } from './runs/RunsPanel';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>archer-lab</h1>
        <p className="tagline">
          Reinforcement learning for language-model agents, in your browser: ArCHer and A*PO on Twenty Questions and
          WebShop.
        </p>
      </header>
      <main>
        <TrainPanel />
        <SettingsPanel />
        <ReplayPanel />
        <RunsPanel />
        <TwentyQuestionsPanel />
      </main>
    </div>
  );
}
