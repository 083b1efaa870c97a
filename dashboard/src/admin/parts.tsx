// Pieces the admin's screens share: filters kept in the route's query, an action that needs a
// reason (reject, suspend, mark failed), status badges.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import { ApiFailure, unwrap } from '../api';
import { type MessageKey, t, tMaybe } from '../i18n';
import { navigate } from '../router';
import {
  type Action,
  Badge,
  Busy,
  type Column,
  ConfirmButton,
  ErrorBox,
  type Loaded,
  type Option,
  type PageOf,
  Pager,
  Table,
  TextField,
  useAction,
} from '../ui';

/** Sets some of the route's query (filters), keeping the rest; an empty value removes it. */
export function setQuery(path: string, query: URLSearchParams, patch: Record<string, string>) {
  const next: Record<string, string> = Object.fromEntries(query.entries());
  Object.assign(next, patch);
  delete next.page;
  navigate(path, next);
}

/** Options of a status filter: "all" first, then each status by its Russian name. */
export function statusOptions(prefix: string, values: readonly string[], all = true): Option[] {
  const opts = values.map((v) => ({ value: v, label: tMaybe(`${prefix}${v}`, v) }));
  return all ? [{ value: '', label: t('common.all') }, ...opts] : opts;
}

const TONES: Record<string, 'ok' | 'warn' | 'bad' | 'info'> = {
  approved: 'ok',
  paid: 'ok',
  sent: 'ok',
  refunded: 'ok',
  completed: 'ok',
  pending_review: 'warn',
  pending: 'warn',
  escalated: 'warn',
  requested: 'warn',
  manual: 'warn',
  received: 'info',
  rejected: 'bad',
  suspended: 'bad',
  failed: 'bad',
  cancelled: 'info',
  draft: 'info',
};

/** A status as a badge: `prefix` + status is its i18n key. */
export function StatusBadge(props: { prefix: string; status: string }) {
  return (
    <Badge tone={TONES[props.status] ?? 'info'}>
      {tMaybe(`${props.prefix}${props.status}`, props.status)}
    </Badge>
  );
}

/**
 * An irreversible action that needs text (a reason, a bank reference): the button opens a field,
 * the confirm button sends it; the server's error for `field` shows on the field.
 */
export function ReasonAction(props: {
  label: string;
  fieldLabel: MessageKey;
  field: string;
  danger?: boolean;
  onSubmit: (text: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const action = useAction(props.onSubmit);
  if (!open) {
    return (
      <button
        type="button"
        class={props.danger ? 'danger' : undefined}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <div class="reason-action">
      <TextField
        label={t(props.fieldLabel)}
        value={text}
        onInput={setText}
        error={action.fields[props.field]}
        maxLength={500}
      />
      {!action.fields[props.field] && <ErrorBox error={action.error} />}
      <div class="form-actions">
        <ConfirmButton
          label={props.label}
          danger={props.danger}
          busy={action.busy}
          onConfirm={async () => {
            if (await action.run(text.trim())) {
              setOpen(false);
              setText('');
              props.onDone();
            }
          }}
        />
        <button
          type="button"
          onClick={() => {
            setOpen(false);
            action.reset();
          }}
        >
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

/** The body of an answer that has one (the typed client types every body as maybe missing). */
export async function body<T>(answer: Promise<T>): Promise<NonNullable<T>> {
  const v = await answer;
  if (v === undefined || v === null) throw new ApiFailure(0, undefined, {}, t('error.network'));
  return v;
}

/** `unwrap` of a call that answers a body: the body, never undefined. */
export const got = <T,>(call: Parameters<typeof unwrap<T>>[0]) => body(unwrap<T>(call));

/** A page of a list: its failure, progress while it loads, the items as `children` draws them, the pager. */
export function PagedView<T>(props: {
  list: Loaded<PageOf<T>> & { setPage: (page: number) => void };
  children: (items: T[]) => ComponentChildren;
}) {
  const { list } = props;
  return (
    <>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && <Busy />}
      {list.data && props.children(list.data.items)}
      <Pager page={list.data} onPage={list.setPage} />
    </>
  );
}

/** A page of a list drawn as a table (its caption names it), with its failure, progress and pager. */
export function PagedTable<T>(props: {
  list: Loaded<PageOf<T>> & { setPage: (page: number) => void };
  caption: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
}) {
  return (
    <PagedView list={props.list}>
      {(rows) => (
        <Table caption={props.caption} columns={props.columns} rows={rows} rowKey={props.rowKey} />
      )}
    </PagedView>
  );
}

/** Items drawn as cards (a shop to review, a return), or the empty note. */
export function Cards<T>(props: { items: T[]; children: (item: T) => ComponentChildren }) {
  if (props.items.length === 0) return <p class="empty">{t('common.empty')}</p>;
  return <div class="cards">{props.items.map(props.children)}</div>;
}

/** A button that runs a reversible action: disabled with progress while it runs. */
export function RunButton(props: {
  label: string;
  action: Action<[]>;
  onDone: () => void;
  primary?: boolean;
}) {
  const { action } = props;
  return (
    <button
      type="button"
      class={props.primary ? 'primary' : undefined}
      disabled={action.busy}
      onClick={async () => {
        if (await action.run()) props.onDone();
      }}
    >
      {action.busy ? t('common.saving') : props.label}
    </button>
  );
}
