import { useEffect, useState } from 'react';
import { FIELDS, GROUPS, configFromYaml, configToYaml, diffConfig, flattenConfig, setValue, validateValue, type Config, type FieldSpec } from '../../core/config';
import { useSettingsStore } from './settings-store';
import { useRunStore } from './run-store';
import { initRun, updateRunConfig } from './run-controller';
import { FileButton } from '../common/FileButton';

type Flat = Record<string, number | string | boolean>;

function idOf(key: string): string {
  return `setting-${key.replace(/\./g, '-')}`;
}

/** Slider position for a value: log10 for log-scale fields. */
function toSlider(f: FieldSpec, v: number): number {
  return f.scale === 'log' ? Math.log10(v) : v;
}
function fromSlider(f: FieldSpec, s: number): number {
  if (f.scale === 'log') return Number(Math.pow(10, s).toPrecision(3));
  return f.kind === 'int' ? Math.round(s) : s;
}

function FieldControl({ field, value, error, onChange }: { field: FieldSpec; value: number | string | boolean; error?: string; onChange: (raw: string | boolean) => void }) {
  const id = idOf(field.key);
  const described = `${id}-help${error ? ` ${id}-error` : ''}`;
  const [text, setText] = useState(String(value));
  // A new value from outside (YAML import, a reset) replaces the text, unless the text already means it.
  useEffect(() => {
    setText((t) => (Number(t) === value || t === String(value) ? t : String(value)));
  }, [value]);
  const numeric = field.kind === 'number' || field.kind === 'int';
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.key}{' '}
        <span className={field.live ? 'badge live' : 'badge restart'} title={field.live ? 'can change while the run trains' : 'a change restarts the run'}>
          {field.live ? 'live' : 'restart'}
        </span>
      </label>
      {numeric && (
        <div className="field-inputs">
          <input
            type="range"
            aria-label={`${field.key} slider`}
            min={toSlider(field, field.min ?? 0)}
            max={toSlider(field, field.max ?? 1)}
            step={field.scale === 'log' ? 0.01 : (field.step ?? 'any')}
            value={typeof value === 'number' ? toSlider(field, value) : 0}
            onChange={(e) => {
              const v = fromSlider(field, Number(e.target.value));
              setText(String(v));
              onChange(String(v));
            }}
          />
          <input
            id={id}
            type="text"
            inputMode="decimal"
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            onChange={(e) => {
              setText(e.target.value);
              onChange(e.target.value);
            }}
          />
        </div>
      )}
      {field.kind === 'enum' && (
        <select id={id} value={String(value)} aria-describedby={described} onChange={(e) => onChange(e.target.value)}>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
        </select>
      )}
      {field.kind === 'boolean' && <input id={id} type="checkbox" checked={value === true} aria-describedby={described} onChange={(e) => onChange(e.target.checked)} />}
      <small id={`${id}-help`}>
        {field.help}
        {numeric && ` Range ${field.min} to ${field.max}.`}
      </small>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function SettingsPanel() {
  const { config, apply } = useSettingsStore();
  const state = useRunStore((s) => s.status.state);
  const [draft, setDraft] = useState<Config>(config);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [applyError, setApplyError] = useState<string>();
  const flat: Flat = flattenConfig(draft);
  const diff = diffConfig(config, draft);
  const changed = diff.live.length + diff.restart.length > 0;
  const hasErrors = Object.keys(errors).length > 0;
  const runExists = state === 'ready' || state === 'paused' || state === 'running';
  const canApplyLive = changed && !hasErrors && diff.restart.length === 0 && runExists;

  // Another part of the lab changed the settings (a test seeding a run, a reset): follow it.
  useEffect(() => setDraft(config), [config]);

  const change = (field: FieldSpec, raw: string | boolean) => {
    const value = typeof raw === 'boolean' || field.kind === 'enum' || field.kind === 'string' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
    try {
      validateValue(field.key as never, value);
      setDraft((d) => setValue(d, field.key, value));
      setErrors(({ [field.key]: _, ...rest }) => rest);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      setErrors((errs) => ({ ...errs, [field.key]: typeof raw === 'string' && raw.trim() !== '' && Number.isNaN(Number(raw)) && field.kind !== 'enum' ? `${field.key}: "${raw}" is not a number` : msg }));
    }
  };

  const applyLive = async () => {
    try {
      setApplyError(undefined);
      await updateRunConfig(draft);
      apply(draft);
    } catch (e) {
      setApplyError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <details className="panel settings">
      <summary>Hyperparameters</summary>
      <p>
        Every setting of the config schema, with its range and what it does. Settings marked <span className="badge live">live</span> can
        change while the run trains (from its next iteration); the others need a restart. The link in the address bar reproduces the
        applied settings.
      </p>
      <YamlTools draft={draft} onImport={(c) => { setErrors({}); setDraft(c); }} />
      {GROUPS.map((group) => (
        <fieldset key={group}>
          <legend>{group}</legend>
          {FIELDS.filter((f) => f.group === group).map((f) => (
            <FieldControl key={f.key} field={f} value={flat[f.key] as number | string | boolean} error={errors[f.key]} onChange={(raw) => change(f, raw)} />
          ))}
        </fieldset>
      ))}
      <div className="row apply-row">
        <button type="button" disabled={!canApplyLive} onClick={() => void applyLive()}>
          Apply live
        </button>
        <button
          type="button"
          disabled={!changed || hasErrors}
          onClick={() => {
            apply(draft);
            void initRun(draft);
          }}
        >
          Apply and restart the run
        </button>
        <button type="button" disabled={!changed} onClick={() => { setErrors({}); setDraft(config); }}>
          Discard changes
        </button>
        {hasErrors && <span className="error">Fix the settings marked above first.</span>}
        {!hasErrors && diff.restart.length > 0 && <span className="note" data-testid="restart-needed">Needs a restart: {diff.restart.join(', ')}</span>}
        {applyError && <span className="error" role="alert">{applyError}</span>}
      </div>
    </details>
  );
}

/** Export the draft settings as YAML, or import a YAML file / pasted text into the draft (checked fully first). */
function YamlTools({ draft, onImport }: { draft: Config; onImport: (c: Config) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const load = (yaml: string, source: string) => {
    try {
      const c = configFromYaml(yaml);
      setError(undefined);
      setDone(`Imported ${source}: review the settings below, then apply.`);
      onImport(c);
    } catch (e) {
      setDone(undefined);
      setError(`${source}: ${e instanceof Error ? e.message : String(e)} (nothing was changed)`);
    }
  };

  const download = () => {
    const blob = new Blob([configToYaml(draft)], { type: 'application/x-yaml' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'archer-lab-config.yaml';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <div className="yaml-tools">
      <div className="row">
        <button type="button" onClick={download}>Export YAML</button>
        <FileButton accept=".yaml,.yml,text/yaml,application/x-yaml" inputLabel="YAML file to import" onFile={(f) => void f.text().then((t) => load(t, f.name))}>
          Import YAML file…
        </FileButton>
      </div>
      <label htmlFor="yaml-text">Or paste YAML</label>
      <textarea id="yaml-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder={'algorithm:\n  critic_epochs: 5'} />
      <div className="row">
        <button type="button" disabled={text.trim() === ''} onClick={() => load(text, 'the pasted YAML')}>Import pasted YAML</button>
      </div>
      {error && <p role="alert" className="error" data-testid="yaml-error">{error}</p>}
      {done && <p role="status" data-testid="yaml-status">{done}</p>}
    </div>
  );
}
