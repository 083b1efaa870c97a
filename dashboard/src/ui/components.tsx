import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';

import type { ApiFailure } from '../api';
import { t } from '../i18n';
import type { PageOf } from './hooks';

/** A screen: its heading (the page's only h1), actions beside it, then the content. */
export function Page(props: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title">{props.title}</h1>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

/** A refusal or failure, announced to screen readers. */
export function ErrorBox(props: { error: ApiFailure | undefined; onRetry?: () => void }) {
  if (!props.error) return null;
  return (
    <div class="error" role="alert">
      {props.error.message}
      {props.onRetry && (
        <button type="button" class="link" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** Progress of something running (loading, saving, a payout batch). */
export function Busy(props: { label?: string }) {
  return (
    <div class="busy" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? t('common.loading')}
    </div>
  );
}

/** A message to the user after an action succeeded. */
export function Notice(props: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {props.children}
    </div>
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  /** right-aligned (numbers, money) */
  num?: boolean;
}

/** A table that scrolls sideways on a phone; `empty` when there are no rows. */
export function Table<T>(props: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  caption?: string;
}) {
  if (props.rows.length === 0) return <p class="empty">{t('common.empty')}</p>;
  return (
    <div
      class="table-wrap"
      tabIndex={0}
      role="region"
      aria-label={props.caption ?? t('common.actions')}
    >
      <table>
        {props.caption && <caption class="sr-only">{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" class={c.num ? 'num' : undefined} key={c.label}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td class={c.num ? 'num' : undefined} key={c.label}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous / next under a list, with the position. */
export function Pager(props: {
  page: PageOf<unknown> | undefined;
  onPage: (page: number) => void;
}) {
  const p = props.page;
  if (!p || p.pages <= 1) return null;
  return (
    <nav class="pager" aria-label={t('pager.label')}>
      <button type="button" disabled={p.page <= 1} onClick={() => props.onPage(p.page - 1)}>
        {t('pager.prev')}
      </button>
      <span>{t('pager.position', { page: p.page, pages: p.pages, total: p.total })}</span>
      <button type="button" disabled={p.page >= p.pages} onClick={() => props.onPage(p.page + 1)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}

/**
 * A labelled form field with the server's error for it (`error`), tied to the input by
 * aria-describedby. `children` receives the input's id and aria props.
 */
export function Field(props: {
  label: string;
  error?: string;
  hint?: string;
  children: (input: {
    id: string;
    'aria-invalid'?: boolean;
    'aria-describedby'?: string;
  }) => ComponentChildren;
}) {
  const id = useId();
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`field${props.error ? ' invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.children({
        id,
        'aria-invalid': props.error ? true : undefined,
        'aria-describedby': described || undefined,
      })}
      {props.hint && (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${id}-error`} class="field-error">
          {props.error}
        </small>
      )}
    </div>
  );
}

/** A text input field: `value`, `onInput(value)`, the server's `error`. */
export function TextField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'tel' | 'url' | 'date' | 'search';
  name?: string;
  autocomplete?: string;
  required?: boolean;
  placeholder?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel' | 'url' | 'search';
  min?: number | string;
  max?: number | string;
  step?: number | string;
  maxLength?: number;
  disabled?: boolean;
}) {
  const { label, value, onInput, error, hint, ...rest } = props;
  return (
    <Field label={label} error={error} hint={hint}>
      {(a) => (
        <input
          {...rest}
          {...a}
          value={value}
          onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}

/**
 * A destructive or irreversible action: the first click asks once ("Точно?"), the second runs it.
 * Shows progress while `busy`.
 */
export function ConfirmButton(props: {
  label: string;
  onConfirm: () => unknown;
  busy?: boolean;
  question?: string;
  danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (props.busy) return <Busy label={t('common.saving')} />;
  if (!asking) {
    return (
      <button
        type="button"
        class={props.danger ? 'danger' : undefined}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question ?? t('common.confirmQuestion')}>
      <span>{props.question ?? t('common.confirmQuestion')}</span>
      <button
        type="button"
        class={props.danger ? 'danger' : 'primary'}
        onClick={() => {
          setAsking(false);
          void props.onConfirm();
        }}
      >
        {t('common.confirm')}: {props.label}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

/** A status as a coloured badge with its Russian name. */
export function Badge(props: {
  tone?: 'ok' | 'warn' | 'bad' | 'info';
  children: ComponentChildren;
}) {
  return <span class={`badge ${props.tone ?? 'info'}`}>{props.children}</span>;
}

/** A figure with its label (balances, stats). */
export function Stat(props: { label: string; value: ComponentChildren }) {
  return (
    <div class="stat">
      <div class="stat-label">{props.label}</div>
      <div class="stat-value">{props.value}</div>
    </div>
  );
}
