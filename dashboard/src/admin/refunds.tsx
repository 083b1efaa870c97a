// Refunds paid by hand: cash-on-delivery money owed back to buyers (a return's, or one parcel's of
// an order that goes on), waiting for an admin to pay it out of band and mark it paid. The paid
// ones stay listed under their filter.
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { money, t, tMaybe, when } from '../i18n';
import type { ScreenProps } from '../screens';
import {
  type Column,
  ConfirmButton,
  ErrorBox,
  Notice,
  Page,
  SelectField,
  useAction,
  usePaged,
} from '../ui';
import { PagedTable, setQuery, StatusBadge, statusOptions } from './parts';

type Refund = Schemas['RefundResponse'];
const PATH = '/admin/refunds';

/** The short reference of an order, as the other admin screens write it. */
const orderRef = (id: string) => id.slice(0, 8);

export function AdminRefunds({ query }: ScreenProps) {
  const status = (query.get('status') ?? 'pending') as Refund['status'] | '';
  const [notice, setNotice] = useState('');
  const list = usePaged(
    (page) =>
      unwrap(
        api.GET('/api/v1/admin/refunds', {
          params: { query: { page, page_size: 20, method: 'manual', status: status || undefined } },
        }),
      ),
    [status],
  );
  const columns: Column<Refund>[] = [
    {
      label: t('admin.refunds.order'),
      cell: (r) => <span class="mono">{orderRef(r.order_id)}</span>,
    },
    { label: t('admin.refunds.kind'), cell: (r) => tMaybe(`admin.refunds.kind.${r.kind}`, r.kind) },
    { label: t('common.amount'), num: true, cell: (r) => money(r.amount) },
    { label: t('common.date'), cell: (r) => when(r.created_at) },
    {
      label: t('common.status'),
      cell: (r) => (
        <>
          <StatusBadge prefix="admin.refunds.status." status={r.status} />
          {r.status === 'completed' && (
            <div class="muted">{t('admin.refunds.paidAt', { at: when(r.updated_at) })}</div>
          )}
        </>
      ),
    },
    {
      label: t('common.actions'),
      cell: (r) =>
        r.status === 'pending' ? (
          <MarkPaid
            refund={r}
            onDone={() => {
              setNotice(
                t('admin.refunds.paidNotice', {
                  order: orderRef(r.order_id),
                  amount: money(r.amount),
                }),
              );
              list.reload();
            }}
          />
        ) : null,
    },
  ];
  return (
    <Page title={t('nav.admin.refunds')}>
      <p class="muted">{t('admin.refunds.intro')}</p>
      <div class="filters">
        <SelectField
          label={t('admin.refunds.statusFilter')}
          value={status}
          options={statusOptions('admin.refunds.status.', ['pending', 'completed'])}
          onChange={(v) => setQuery(PATH, query, { status: v })}
        />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <PagedTable
        list={list}
        caption={t('admin.refunds.caption')}
        columns={columns}
        rowKey={(r) => r.id}
      />
    </Page>
  );
}

/** Marks one manual refund paid (asked once): irreversible, the buyer is told. */
function MarkPaid(props: { refund: Refund; onDone: () => void }) {
  const { refund } = props;
  const paid = useAction(() =>
    unwrap(
      api.POST('/api/v1/admin/refunds/{id}/mark-paid', { params: { path: { id: refund.id } } }),
    ),
  );
  return (
    <div class="row-actions">
      <ConfirmButton
        label={t('admin.refunds.markPaid')}
        busy={paid.busy}
        onConfirm={async () => {
          if (await paid.run()) props.onDone();
        }}
      />
      <ErrorBox error={paid.error} />
    </div>
  );
}
