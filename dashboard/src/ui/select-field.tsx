import { Field } from './components';

export interface Option {
  value: string;
  label: string;
}

/** A labelled select with the server's error for it (`error`), like TextField. */
export function SelectField(props: {
  label: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  name?: string;
  disabled?: boolean;
}) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(a) => (
        <select
          {...a}
          name={props.name}
          disabled={props.disabled}
          value={props.value}
          onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
