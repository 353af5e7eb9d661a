import { useState } from 'react';
import { FIELDS, GROUPS, flattenConfig, setValue, validateValue, type Config, type FieldSpec } from '../../core/config';
import { useSettingsStore } from './settings-store';
import { initRun } from './run-controller';

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
  const numeric = field.kind === 'number' || field.kind === 'int';
  return (
    <div className="field">
      <label htmlFor={id}>{field.key}</label>
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
  const [draft, setDraft] = useState<Config>(config);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const flat: Flat = flattenConfig(draft);
  const changed = JSON.stringify(draft) !== JSON.stringify(config);
  const hasErrors = Object.keys(errors).length > 0;

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

  return (
    <details className="panel settings">
      <summary>Hyperparameters</summary>
      <p>Every setting of the config schema, with its range and what it does. Changes apply when you restart the run; the link in the address bar then reproduces them.</p>
      {GROUPS.map((group) => (
        <fieldset key={group}>
          <legend>{group}</legend>
          {FIELDS.filter((f) => f.group === group).map((f) => (
            <FieldControl key={f.key} field={f} value={flat[f.key] as number | string | boolean} error={errors[f.key]} onChange={(raw) => change(f, raw)} />
          ))}
        </fieldset>
      ))}
      <div className="row">
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
        {hasErrors && <span className="error">Fix the settings marked above first.</span>}
      </div>
    </details>
  );
}
