/**
 * Forms validated in the browser with the same zod schemas the API parses with (import them from
 * `@tpv/shared`), and the server's own verdict shown on the fields: a problem+json `errors[]` entry
 * `{ path: 'address.postalCode', message }` lands on that field; what matches no field shows above the form.
 *
 *   const form = useZodForm(CompanyBody, { defaultValues });
 *   const submit = useFormSubmit(form, (v) => api('POST', '/api/companies', v), { success: t('saved'), invalidate: [['list']] });
 *   <FormShell onSubmit={submit.onSubmit} error={submit.error} pending={submit.pending}>
 *     <TextInput label={t('legalName')} {...field(form, 'legalName')} />
 *   </FormShell>
 */
import { Alert, Button, Group, List, Stack } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useController, useForm, type FieldPath, type FieldValues, type Path, type UseFormProps, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { config as zodConfig } from 'zod/v4/core';
import zodEn from 'zod/v4/locales/en.js';
import zodEs from 'zod/v4/locales/es.js';
import { ApiError, type FieldError } from '../app/api';
import { useT } from '../app/i18n';
import { errorText, toast } from './feedback';

/** react-hook-form over a zod schema: the form holds the schema's input, the submit handler gets its output. */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, options: Omit<UseFormProps<z.input<S>, unknown, z.output<S>>, 'resolver'> = {}) {
  // zod's own messages ("too short"…) in the user's language.
  const { locale } = useT();
  useMemo(() => zodConfig(locale === 'es' ? zodEs() : zodEn()), [locale]);
  return useForm<z.input<S>, unknown, z.output<S>>({ mode: 'onTouched', ...options, resolver: zodResolver(schema as never) as never });
}

/** A Mantine input's props for a field: registered, with its error message. */
export function field<V extends FieldValues>(form: UseFormReturn<V, unknown, FieldValues>, name: FieldPath<V>) {
  const error = name.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], form.formState.errors) as { message?: string } | undefined;
  return { ...form.register(name), error: error?.message };
}

/**
 * Props for a Mantine input that is not a native one (NumberInput, Select, MultiSelect, Switch, Checkbox,
 * DateInput…): value/onChange through react-hook-form's controller, with its error. `checkbox` gives
 * `checked` instead of `value`.
 */
export function useControlledField<V extends FieldValues>(form: UseFormReturn<V, unknown, FieldValues>, name: FieldPath<V>, opts: { checkbox?: boolean } = {}) {
  const { field: f, fieldState } = useController({ control: form.control, name });
  const base = { name: f.name, ref: f.ref, onBlur: f.onBlur, error: fieldState.error?.message };
  return opts.checkbox
    ? { ...base, checked: Boolean(f.value), onChange: (e: { currentTarget: { checked: boolean } }) => f.onChange(e.currentTarget.checked) }
    : { ...base, value: f.value, onChange: (v: unknown) => f.onChange(v) };
}

/**
 * Puts the server's field errors on the form's fields; returns the ones that name no field of the form
 * (and the error's own message when it has no field errors at all), for a summary above the form.
 */
export function applyServerErrors<V extends FieldValues>(form: Pick<UseFormReturn<V, unknown, FieldValues>, 'setError' | 'getValues'>, error: unknown): { message: string | null; unmatched: FieldError[] } {
  if (!(error instanceof ApiError) || error.fieldErrors.length === 0) return { message: error instanceof Error ? error.message : String(error), unmatched: [] };
  const values = form.getValues() as Record<string, unknown>;
  const unmatched: FieldError[] = [];
  let first = true;
  for (const e of error.fieldErrors) {
    const root = e.path.split('.')[0] ?? '';
    if (root && root in values) {
      form.setError(e.path as Path<V>, { type: 'server', message: e.message }, { shouldFocus: first });
      first = false;
    } else unmatched.push(e);
  }
  return { message: unmatched.length ? error.message : null, unmatched };
}

export interface SubmitOptions<R> {
  /** Toast shown on success. */
  success?: string | ((result: R) => string);
  /** Query keys to refetch after success (e.g. [['list']] refetches every list). */
  invalidate?: QueryKey[];
  onSuccess?: (result: R) => void;
}

/** A mutation bound to the form: toasts, server field errors on the fields, cache invalidation. */
export function useFormSubmit<V extends FieldValues, O, R>(form: UseFormReturn<V, unknown, O>, send: (values: O) => Promise<R>, opts: SubmitOptions<R> = {}) {
  const { t, locale } = useT();
  const qc = useQueryClient();
  const [error, setError] = useState<{ message: string | null; unmatched: FieldError[] } | null>(null);
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: async (result) => {
      setError(null);
      for (const key of opts.invalidate ?? []) await qc.invalidateQueries({ queryKey: key });
      if (opts.success) toast.ok(typeof opts.success === 'function' ? opts.success(result) : opts.success);
      opts.onSuccess?.(result);
    },
    onError: (e) => {
      const r = applyServerErrors(form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>, e);
      setError(r.message === null && r.unmatched.length === 0 ? { message: t('common.invalid'), unmatched: [] } : { ...r, message: r.message && errorText(e, locale) });
      toast.fail(e instanceof ApiError && e.fieldErrors.length ? t('common.invalid') : errorText(e, locale), t('common.failed'));
    },
  });
  return {
    onSubmit: form.handleSubmit((values) => mutation.mutateAsync(values).then(() => undefined, () => undefined)),
    pending: mutation.isPending,
    error,
  };
}

/** The frame of a form: the server's summary error, the fields, and Save (+ Cancel when given). */
export function FormShell({ onSubmit, error, pending, children, submitLabel, onCancel, testId }: { onSubmit: () => void; error?: { message: string | null; unmatched: FieldError[] } | null; pending?: boolean; children: ReactNode; submitLabel?: string; onCancel?: () => void; testId?: string }) {
  const { t } = useT();
  return (
    <form
      noValidate
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="sm">
        {error && (error.message || error.unmatched.length > 0) && (
          <Alert color="red" role="alert" data-testid="form-error">
            {error.message}
            {error.unmatched.length > 0 && (
              <List size="sm">
                {error.unmatched.map((e) => (
                  <List.Item key={e.path}>{e.path ? `${e.path}: ${e.message}` : e.message}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        {children}
        <Group justify="flex-end" mt="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={pending}>
            {submitLabel ?? t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
