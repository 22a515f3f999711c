import type { SyntheticEvent } from "react";
import { useState } from "react";

interface InputProps {
  id: string;
  label: string;
  type?: "email" | "password" | "search";
  autoComplete?: string;
  value: string;
  error: string | null | undefined;
  onChange: (value: string) => void;
}

/** A label and its input, marked invalid while there is an error. */
function LabelledInput({
  id,
  label,
  error,
  onChange,
  describedBy,
  ...input
}: InputProps & { describedBy?: string }) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </>
  );
}

/** A labelled input with its validation message, tied together for screen readers. */
export function TextField(props: InputProps) {
  const errorId = `${props.id}-error`;
  return (
    <>
      <LabelledInput {...props} describedBy={props.error ? errorId : undefined} />
      {props.error ? (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/** A filter form's text input, its submit button and its validation message. */
export function FilterText({ submitLabel, ...props }: InputProps & { submitLabel: string }) {
  return (
    <>
      <LabelledInput {...props} />
      <button type="submit" className="button">
        {submitLabel}
      </button>
      {props.error ? <p className="field-error">{props.error}</p> : null}
    </>
  );
}

/** A filter text box: what it asks for, and how its text becomes the value to filter by. */
export interface TextFilterSpec {
  id: string;
  label: string;
  type?: "search";
  submitLabel: string;
  /** The value (undefined: no filter), or why the text is not one. */
  parse: (text: string) => { value: string | undefined; error: string | null };
}

/** A filter text box's state: it applies on submit once its text parses, else says why not. */
export function useTextFilter(
  { parse, ...input }: TextFilterSpec,
  initial: string | undefined,
  onFilter: (value: string | undefined) => void,
) {
  const [text, setText] = useState(initial ?? "");
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    const parsed = parse(text);
    setError(parsed.error);
    if (!parsed.error) onFilter(parsed.value);
  };
  return { onSubmit, field: { ...input, value: text, error, onChange: setText } };
}

/** A filter's choice among an enum's values, or "Any". */
export function EnumSelect<T extends string>({
  id,
  label,
  options,
  value,
  onChange,
}: {
  id: string;
  label: string;
  options: readonly T[];
  value: T | undefined;
  onChange: (value: T | undefined) => void;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(event) => {
          onChange(options.find((option) => option === event.target.value));
        }}
      >
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </>
  );
}
