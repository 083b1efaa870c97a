// The outbox: mails that could not be sent (by default), their last error, retry.
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { t, when } from '../i18n';
import type { ScreenProps } from '../screens';
import { type Column, ErrorBox, Notice, Page, SelectField, useAction, usePaged } from '../ui';
import { got, PagedTable, RunButton, setQuery, StatusBadge, statusOptions } from './parts';

type Mail = Schemas['OutboxMailResponse'];
const PATH = '/admin/mail';

export function AdminMail({ query }: ScreenProps) {
  const status = (query.get('status') ?? 'failed') as Mail['status'] | '';
  const [notice, setNotice] = useState('');
  const list = usePaged(
    (page) =>
      got(
        api.GET('/api/v1/admin/mail', {
          params: { query: { page, page_size: 20, status: status || undefined } },
        }),
      ),
    [status],
  );
  const columns: Column<Mail>[] = [
    { label: t('admin.mail.to'), cell: (m) => m.to },
    {
      label: t('admin.mail.subject'),
      cell: (m) => (
        <>
          {m.subject}
          <div class="muted">{when(m.created_at)}</div>
        </>
      ),
    },
    {
      label: t('common.status'),
      cell: (m) => <StatusBadge prefix="admin.mail." status={m.status} />,
    },
    { label: t('admin.mail.attempts'), num: true, cell: (m) => m.attempts },
    { label: t('admin.mail.error'), cell: (m) => <span class="mono">{m.last_error ?? '—'}</span> },
    {
      label: t('common.actions'),
      cell: (m) =>
        m.status === 'failed' ? (
          <Retry
            mail={m}
            onDone={() => {
              setNotice(t('admin.mail.retried', { to: m.to }));
              list.reload();
            }}
          />
        ) : null,
    },
  ];
  return (
    <Page title={t('nav.admin.mail')}>
      <div class="filters">
        <SelectField
          label={t('admin.mail.status')}
          value={status}
          options={statusOptions('admin.mail.', ['failed', 'pending', 'sent'])}
          onChange={(v) => setQuery(PATH, query, { status: v })}
        />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <PagedTable
        list={list}
        caption={t('admin.mail.caption')}
        columns={columns}
        rowKey={(m) => m.id}
      />
    </Page>
  );
}

function Retry(props: { mail: Mail; onDone: () => void }) {
  const retry = useAction(() =>
    unwrap(api.POST('/api/v1/admin/mail/{id}/retry', { params: { path: { id: props.mail.id } } })),
  );
  return (
    <>
      <RunButton label={t('admin.mail.retry')} action={retry} onDone={props.onDone} />
      <ErrorBox error={retry.error} />
    </>
  );
}
