// Returns an admin decides: escalated ones (the seller did not answer in time) by default; any
// requested one too. Received cash-on-delivery returns wait for the admin to pay the buyer by
// hand and mark it paid.
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { money, t, tMaybe, when } from '../i18n';
import type { ScreenProps } from '../screens';
import { ConfirmButton, ErrorBox, Notice, Page, SelectField, useAction, usePaged } from '../ui';
import { Cards, got, PagedView, ReasonAction, setQuery, StatusBadge, statusOptions } from './parts';

type Return = Schemas['ReturnResponse'];
type ReturnStatus = Return['status'];
const STATUSES = [
  'escalated',
  'requested',
  'approved',
  'received',
  'refunded',
  'rejected',
  'cancelled',
] as const;
const PATH = '/admin/returns';

export function AdminReturns({ query }: ScreenProps) {
  const status = (query.get('status') ?? 'escalated') as ReturnStatus | '';
  const [notice, setNotice] = useState('');
  const list = usePaged(
    (page) =>
      got(
        api.GET('/api/v1/returns', {
          params: { query: { page, page_size: 10, status: status || undefined } },
        }),
      ),
    [status],
  );
  const done = (message: string) => {
    setNotice(message);
    list.reload();
  };
  return (
    <Page title={t('nav.admin.returns')}>
      <div class="filters">
        <SelectField
          label={t('admin.returns.status')}
          value={status}
          options={statusOptions('admin.return.', STATUSES)}
          onChange={(v) => setQuery(PATH, query, { status: v })}
        />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <PagedView list={list}>
        {(items) => (
          <Cards items={items}>{(r) => <ReturnCard key={r.id} ret={r} onDone={done} />}</Cards>
        )}
      </PagedView>
    </Page>
  );
}

function ReturnCard(props: { ret: Return; onDone: (message: string) => void }) {
  const { ret } = props;
  const path = { id: ret.id };
  const heading = `ret-${ret.id}`;
  const approve = useAction(() =>
    unwrap(api.PUT('/api/v1/returns/{id}/approve', { params: { path }, body: {} })),
  );
  const paid = useAction(() =>
    unwrap(api.PUT('/api/v1/returns/{id}/refund-paid', { params: { path } })),
  );
  const decidable = ret.status === 'escalated' || ret.status === 'requested';
  return (
    <article class="card" aria-labelledby={heading}>
      <header class="card-head">
        <h2 id={heading}>
          {t('admin.returns.order')} <span class="mono">{ret.order_id.slice(0, 8)}</span>
        </h2>
        <StatusBadge prefix="admin.return." status={ret.status} />
      </header>
      <ul>
        {ret.items.map((i) => (
          <li key={i.order_item_id}>
            {t('admin.returns.line', {
              name: i.product_name,
              quantity: i.quantity,
              reason: tMaybe(`admin.reason.${i.reason}`, i.reason),
            })}
            {i.comment && <div class="muted">{i.comment}</div>}
          </li>
        ))}
      </ul>
      <dl class="facts">
        <div>
          <dt>{t('admin.returns.refund')}</dt>
          <dd>{money(ret.refund_amount)}</dd>
        </div>
        {ret.refund_status && (
          <div>
            <dt>{t('admin.returns.refundStatus')}</dt>
            <dd>
              <StatusBadge prefix="admin.refund." status={ret.refund_status} />
            </dd>
          </div>
        )}
        <div>
          <dt>{t('common.date')}</dt>
          <dd>{when(ret.created_at)}</dd>
        </div>
        {ret.escalated_at && (
          <div>
            <dt>{t('admin.returns.escalatedAt')}</dt>
            <dd>{when(ret.escalated_at)}</dd>
          </div>
        )}
      </dl>
      <ErrorBox error={approve.error ?? paid.error} />
      <div class="form-actions">
        {decidable && (
          <>
            <ConfirmButton
              label={t('admin.returns.approve')}
              busy={approve.busy}
              onConfirm={async () => {
                if (await approve.run()) props.onDone(t('admin.returns.approved'));
              }}
            />
            <ReasonAction
              label={t('admin.returns.reject')}
              fieldLabel="admin.returns.rejectNote"
              field="note"
              danger
              onSubmit={(note) =>
                unwrap(api.PUT('/api/v1/returns/{id}/reject', { params: { path }, body: { note } }))
              }
              onDone={() => props.onDone(t('admin.returns.rejected'))}
            />
          </>
        )}
        {ret.status === 'received' && ret.refund_status === 'manual' && (
          <ConfirmButton
            label={t('admin.returns.refundPaid')}
            busy={paid.busy}
            onConfirm={async () => {
              if (await paid.run()) props.onDone(t('admin.returns.paid'));
            }}
          />
        )}
      </div>
    </article>
  );
}
