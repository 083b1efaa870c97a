// A queue of work as cards (orders to fulfil, returns to decide): a status filter kept in the
// route's query, progress, the refusal, the last action's notice, the cards and the pager.
import type { ComponentChildren } from 'preact';

import { t } from '../i18n';
import { navigate } from '../router';
import { Busy, ErrorBox, type Loaded, Notice, type PageOf, Pager, SelectField } from '../ui';

export function StatusFilter<S extends string>(props: {
  path: string;
  value: S | '';
  statuses: readonly S[];
  name: (status: S) => string;
}) {
  return (
    <div class="filters">
      <SelectField
        label={t('common.status')}
        value={props.value}
        onChange={(status) => navigate(props.path, { status })}
        options={[
          { value: '', label: t('common.all') },
          ...props.statuses.map((s) => ({ value: s, label: props.name(s) })),
        ]}
      />
    </div>
  );
}

export function CardList<T extends { id: string }>(props: {
  list: Loaded<PageOf<T>> & { setPage: (p: number) => void };
  done: string;
  card: (item: T) => ComponentChildren;
}) {
  const { list } = props;
  return (
    <>
      {props.done && <Notice>{props.done}</Notice>}
      {list.loading && <Busy />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && <p class="empty">{t('common.empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul class="cards">
          {list.data.items.map((item) => (
            <li key={item.id}>{props.card(item)}</li>
          ))}
        </ul>
      )}
      <Pager page={list.data} onPage={list.setPage} />
    </>
  );
}
