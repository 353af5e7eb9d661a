/**
 * The data flow of one ArCHer update as a small diagram: replay buffer, actor, critic and target
 * critic, with the arrow(s) of the current stage highlighted (animated in slow motion).
 */
export const STAGES = [
  { id: 'sample', part: 'critic', label: 'sample a batch', edges: ['replay-critic'] },
  { id: 'critic-forward', part: 'critic', label: 'critic forward', edges: ['replay-critic'] },
  { id: 'target', part: 'critic', label: "target critic at s' and a^π", edges: ['actor-target', 'replay-target'] },
  { id: 'targets', part: 'critic', label: 'targets and losses', edges: ['target-critic'] },
  { id: 'critic-step', part: 'critic', label: 'critic step, soft update', edges: ['critic-target'] },
  { id: 'actor-sample', part: 'actor', label: 'actor samples a^π', edges: ['replay-actor'] },
  { id: 'advantage', part: 'actor', label: 'advantage from the critic', edges: ['critic-actor'] },
  { id: 'pg', part: 'actor', label: 'policy-gradient step', edges: [] },
] as const;

export type StageId = (typeof STAGES)[number]['id'];

const NODES = {
  replay: { x: 20, y: 70, label: 'Replay buffer', sub: '(s, a, r, s′)' },
  actor: { x: 250, y: 10, label: 'Actor π', sub: 'token-level LM' },
  critic: { x: 250, y: 130, label: 'Critic', sub: 'Q1 Q2 V1 V2' },
  target: { x: 480, y: 130, label: 'Target critic', sub: 'Q̄ V̄ (Polyak copy)' },
} as const;
const W = 150;
const H = 52;

const EDGES: Record<string, { from: keyof typeof NODES; to: keyof typeof NODES; label: string }> = {
  'replay-critic': { from: 'replay', to: 'critic', label: 's, a, r' },
  'replay-target': { from: 'replay', to: 'target', label: "s'" },
  'actor-target': { from: 'actor', to: 'target', label: 'a^π' },
  'target-critic': { from: 'target', to: 'critic', label: 'targets y' },
  'critic-target': { from: 'critic', to: 'target', label: 'τ-average' },
  'replay-actor': { from: 'replay', to: 'actor', label: 's' },
  'critic-actor': { from: 'critic', to: 'actor', label: 'A' },
};

function centre(n: keyof typeof NODES) {
  return { x: NODES[n].x + W / 2, y: NODES[n].y + H / 2 };
}

export function DataFlow({ active, part }: { active?: StageId; part?: 'critic' | 'actor' | 'both' }) {
  const stage = STAGES.find((s) => s.id === active);
  const hot = new Set<string>(stage?.edges ?? []);
  return (
    <figure className="dataflow" data-testid="dataflow" data-active={active ?? ''}>
      <svg viewBox="0 0 650 200" role="img" aria-label={`Data flow of one ArCHer update${stage ? `; now: ${stage.label}` : ''}`}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6575" />
          </marker>
        </defs>
        {Object.entries(EDGES).map(([id, e]) => {
          const a = centre(e.from);
          const b = centre(e.to);
          const bend = id === 'critic-target' ? 22 : id === 'target-critic' ? -22 : 0;
          const mx = (a.x + b.x) / 2;
          const my = (a.y + b.y) / 2 + bend;
          return (
            <g key={id} className={hot.has(id) ? 'flow-edge flow-hot' : 'flow-edge'}>
              <path d={`M ${a.x} ${a.y} Q ${mx} ${my} ${b.x} ${b.y}`} fill="none" markerEnd="url(#arrow)" />
              <text x={mx} y={my - 4} textAnchor="middle" fontSize="11">{e.label}</text>
            </g>
          );
        })}
        {Object.entries(NODES).map(([id, n]) => (
          <g key={id} className={`flow-node${part === 'critic' && id === 'actor' ? ' flow-dim' : ''}`}>
            <rect x={n.x} y={n.y} width={W} height={H} rx={8} />
            <text x={n.x + W / 2} y={n.y + 22} textAnchor="middle" fontSize="13" fontWeight="600">{n.label}</text>
            <text x={n.x + W / 2} y={n.y + 40} textAnchor="middle" fontSize="11">{n.sub}</text>
          </g>
        ))}
      </svg>
      <figcaption>{stage ? `Now: ${stage.label}` : 'Replay buffer, actor, critic and target critic: the arrows light up stage by stage in slow motion.'}</figcaption>
    </figure>
  );
}
