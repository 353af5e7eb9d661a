/**
 * The teaching side of the lab: one ArCHer update on the live run's own data, DESIGN.md's worked
 * example as a fixed lesson, and short pages on ArCHer, A*PO and PPO vs ArCHer.
 */
import { useState } from 'react';
import { LiveWalkthrough } from './LiveWalkthrough';
import { WorkedExampleLesson } from './WorkedExampleLesson';
import { ArcherPage } from './docs/ArcherPage';
import { ApoPage } from './docs/ApoPage';
import { PpoVsArcherPage } from './docs/PpoVsArcherPage';

export const LESSONS = [
  { id: 'live', title: 'One ArCHer step, live', Component: LiveWalkthrough },
  { id: 'worked', title: 'Worked example', Component: WorkedExampleLesson },
  { id: 'archer', title: 'ArCHer', Component: ArcherPage },
  { id: 'apo', title: 'A*PO', Component: ApoPage },
  { id: 'ppo', title: 'PPO vs ArCHer', Component: PpoVsArcherPage },
] as const;

export type LessonId = (typeof LESSONS)[number]['id'];

export function LearnView({ initial = 'live' }: { initial?: LessonId }) {
  const [lesson, setLesson] = useState<LessonId>(initial);
  const current = LESSONS.find((l) => l.id === lesson) ?? LESSONS[0];
  return (
    <div className="learn">
      <nav aria-label="Lessons" className="lesson-nav">
        {LESSONS.map((l) => (
          <button key={l.id} type="button" aria-current={l.id === lesson ? 'page' : undefined} onClick={() => setLesson(l.id)}>
            {l.title}
          </button>
        ))}
      </nav>
      <current.Component />
    </div>
  );
}
