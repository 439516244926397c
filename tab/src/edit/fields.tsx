import {
  Button,
  Checkbox,
  Field,
  Input,
  type InputProps,
  makeStyles,
  Select,
  tokens,
} from '@fluentui/react-components';
import { createContext, type ReactNode, useContext } from 'react';
import type { FieldErrors } from './drafts';

/*
 * Form fields that show the message of their own path (`milestones[2].due`), whether it came from the
 * client-side check or from the server's 422. Each control carries `data-path`, so the editor can move
 * focus to the first field with a problem.
 */

export const ErrorsContext = createContext<FieldErrors>(new Map());

function useError(path: string): string | undefined {
  return useContext(ErrorsContext).get(path);
}

export const useFieldStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 190px), 1fr))',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    alignItems: 'start',
  },
  compactGrid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 130px), 1fr))',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    alignItems: 'start',
  },
  wide: { gridColumn: '1 / -1' },
  control: { width: '100%', minWidth: 0 },
  row: {
    margin: 0,
    minWidth: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  rowButtons: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  addRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  plainList: {
    margin: 0,
    paddingLeft: 0,
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  endAligned: { alignSelf: 'end' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 280px), 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  warning: { color: tokens.colorPaletteRedForeground1 },
});

export interface TextFieldProps {
  label: string;
  path: string;
  value: string;
  onChange(value: string): void;
  required?: boolean;
  hint?: string;
  type?: InputProps['type'];
  inputMode?: InputProps['inputMode'];
  placeholder?: string;
  wide?: boolean;
}

export function TextField({
  label,
  path,
  value,
  onChange,
  required,
  hint,
  type,
  inputMode,
  placeholder,
  wide,
}: TextFieldProps) {
  const styles = useFieldStyles();
  const error = useError(path);
  return (
    <Field
      label={label}
      required={required}
      hint={hint}
      validationMessage={error}
      validationState={error ? 'error' : 'none'}
      className={wide ? styles.wide : undefined}
    >
      <Input
        className={styles.control}
        value={value}
        type={type}
        inputMode={inputMode}
        placeholder={placeholder}
        data-path={path}
        onChange={(_, data) => onChange(data.value)}
      />
    </Field>
  );
}

export interface Choice<V extends string> {
  value: V;
  label: string;
}

export interface SelectFieldProps<V extends string> {
  label: string;
  path: string;
  value: V;
  choices: readonly Choice<V>[];
  onChange(value: V): void;
  required?: boolean;
  hint?: string;
}

export function SelectField<V extends string>({
  label,
  path,
  value,
  choices,
  onChange,
  required,
  hint,
}: SelectFieldProps<V>) {
  const styles = useFieldStyles();
  const error = useError(path);
  return (
    <Field
      label={label}
      required={required}
      hint={hint}
      validationMessage={error}
      validationState={error ? 'error' : 'none'}
    >
      <Select
        className={styles.control}
        value={value}
        data-path={path}
        onChange={(_, data) => {
          const choice = choices.find((c) => c.value === data.value);
          if (choice) onChange(choice.value);
        }}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function CheckField({
  label,
  path,
  checked,
  onChange,
}: {
  label: string;
  path: string;
  checked: boolean;
  onChange(checked: boolean): void;
}) {
  const error = useError(path);
  return (
    <Field validationMessage={error} validationState={error ? 'error' : 'none'}>
      <Checkbox
        label={label}
        checked={checked}
        data-path={path}
        onChange={(_, data) => onChange(data.checked === true)}
      />
    </Field>
  );
}

/** A message for a path no single control shows (a whole list, a cross-field rule). */
export function PathMessage({ path }: { path: string }) {
  const styles = useFieldStyles();
  const error = useError(path);
  if (!error) return null;
  return (
    <div className={styles.warning} data-path={path} tabIndex={-1}>
      {error}
    </div>
  );
}

/** One item of a list (a milestone, an action…): a fieldset named by its legend, its fields in a grid. */
export function RowCard({
  legend,
  children,
  buttons,
  compact,
}: {
  legend: string;
  children: ReactNode;
  buttons?: ReactNode;
  /** Narrower fields, two to a line in a column of its own (a person in a side's column). */
  compact?: boolean;
}) {
  const styles = useFieldStyles();
  return (
    <fieldset className={styles.row}>
      <legend className={styles.legend}>{legend}</legend>
      <div className={compact ? styles.compactGrid : styles.grid}>{children}</div>
      {buttons && <div className={styles.rowButtons}>{buttons}</div>}
    </fieldset>
  );
}

/** "Add …", or why not: the one-page limit is reached. */
export function AddButton({
  label,
  count,
  max,
  noun,
  onAdd,
}: {
  label: string;
  count: number;
  max: number;
  /** "people on the plan": what `count` counts, when it is not what the button adds to. */
  noun?: string;
  onAdd(): void;
}) {
  const styles = useFieldStyles();
  const full = count >= max;
  return (
    <div className={styles.addRow}>
      <Button disabledFocusable={full} onClick={full ? undefined : onAdd}>
        {label}
      </Button>
      <span className={styles.muted}>
        {count} of {max}
        {noun ? ` ${noun}` : ''}
        {full ? ': the most that fits one printed page' : ''}
      </span>
    </div>
  );
}

/** Moves item `from` by `by` places; returns the list unchanged when that leaves the list. */
export function moved<T>(items: readonly T[], from: number, by: -1 | 1): T[] {
  const to = from + by;
  if (to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/** The list with item `index` replaced by `patch` applied to it. */
export function patched<T>(items: readonly T[], index: number, patch: Partial<T>): T[] {
  return items.map((item, i) => (i === index ? { ...item, ...patch } : item));
}
