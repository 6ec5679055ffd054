/** Typed controller props for the catalog forms' Mantine inputs (Select, Switch, NumberInput). */
import { useController, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';

type Form<V extends FieldValues> = UseFormReturn<V, unknown, FieldValues>;

/** A Select over a string/number/null field (`parse` turns the option value back into the field's type). */
export function useSelectField<V extends FieldValues>(form: Form<V>, name: Path<V>, parse: (v: string | null) => unknown = (v) => v) {
  const { field: f, fieldState } = useController({ control: form.control, name });
  return { value: f.value === null || f.value === undefined ? null : String(f.value), onChange: (v: string | null) => f.onChange(parse(v)), onBlur: f.onBlur, error: fieldState.error?.message };
}

export function useSwitchField<V extends FieldValues>(form: Form<V>, name: Path<V>) {
  const { field: f, fieldState } = useController({ control: form.control, name });
  return { checked: Boolean(f.value), onChange: (e: { currentTarget: { checked: boolean } }) => f.onChange(e.currentTarget.checked), onBlur: f.onBlur, error: fieldState.error?.message };
}

export function useNumberField<V extends FieldValues>(form: Form<V>, name: Path<V>) {
  const { field: f, fieldState } = useController({ control: form.control, name });
  return { value: (f.value as number | null | undefined) ?? '', onChange: (v: number | string) => f.onChange(v === '' ? null : Number(v)), onBlur: f.onBlur, error: fieldState.error?.message };
}
