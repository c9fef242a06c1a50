"use client";
import { useState, type InputHTMLAttributes } from "react";
import { useController, type Control, type FieldValues, type Path } from "react-hook-form";
import { Input } from "../ui/input";

/**
 * A list typed as text ("yourapp.com, mail.yourapp.com"): the form gets the array, the input keeps what was
 * typed (so a trailing comma is not swallowed while typing). `split` says what separates items.
 */
export function ListInput({ value, onChange, split = /,/, ...props }: Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> & { value: string[] | undefined; onChange: (list: string[]) => void; split?: RegExp }) {
  const [text, setText] = useState(() => (value ?? []).join(", "));
  return (
    <Input
      {...props}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        onChange(
          event.target.value
            .split(split)
            .map((item) => item.trim())
            .filter(Boolean),
        );
      }}
    />
  );
}

/** ListInput bound to a form's array field; takes the id and aria props a <Field> hands its control. */
export function ListField<T extends FieldValues>({ control, name, ...props }: Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "name"> & { control: Control<T>; name: Path<T>; split?: RegExp }) {
  const { field } = useController({ control, name });
  return <ListInput {...props} name={field.name} value={field.value as string[] | undefined} onChange={field.onChange} onBlur={field.onBlur} />;
}
