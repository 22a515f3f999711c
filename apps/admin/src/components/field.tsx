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
