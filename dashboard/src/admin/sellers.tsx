// The shop review queue: shops by status (waiting for review first), with the legal and bank
// identity an admin checks before approving; reject and suspend take a reason.
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { t, tMaybe, when } from '../i18n';
import type { ScreenProps } from '../screens';
import { ErrorBox, Notice, Page, SelectField, TextField, useAction, usePaged } from '../ui';
import {
  Cards,
  got,
  PagedView,
  ReasonAction,
  RunButton,
  setQuery,
  StatusBadge,
  statusOptions,
} from './parts';

type Shop = Schemas['ShopResponse'];
type ShopStatus = Shop['status'];
const STATUSES = ['pending_review', 'approved', 'rejected', 'suspended', 'draft'] as const;
const PATH = '/admin/sellers';

export function AdminSellers({ query }: ScreenProps) {
  const status = (query.get('status') ?? 'pending_review') as ShopStatus | '';
  const search = query.get('search') ?? '';
  const [typed, setTyped] = useState(search);
  const [notice, setNotice] = useState('');
  const list = usePaged(
    (page) =>
      got(
        api.GET('/api/v1/admin/sellers', {
          params: {
            query: {
              page,
              page_size: 10,
              status: status || undefined,
              search: search || undefined,
            },
          },
        }),
      ),
    [status, search],
  );
  const done = (message: string) => {
    setNotice(message);
    list.reload();
  };
  return (
    <Page title={t('nav.admin.sellers')}>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(PATH, query, { search: typed.trim() });
        }}
      >
        <SelectField
          label={t('admin.shops.status')}
          value={status}
          options={statusOptions('admin.shop.', STATUSES)}
          onChange={(v) => setQuery(PATH, query, { status: v })}
        />
        <TextField type="search" label={t('admin.shops.search')} value={typed} onInput={setTyped} />
        <button type="submit">{t('common.search')}</button>
      </form>
      {notice && <Notice>{notice}</Notice>}
      <PagedView list={list}>
        {(items) => (
          <Cards items={items}>
            {(shop) => <ShopCard key={shop.id} shop={shop} onDone={done} />}
          </Cards>
        )}
      </PagedView>
    </Page>
  );
}

function ShopCard(props: { shop: Shop; onDone: (message: string) => void }) {
  const { shop } = props;
  const name = shop.name ?? t('admin.shops.unnamed');
  const id = `shop-${shop.id}`;
  const path = { seller_id: shop.seller_id };
  const approve = useAction(() =>
    unwrap(api.PUT('/api/v1/admin/sellers/{seller_id}/approve', { params: { path } })),
  );
  const reinstate = useAction(() =>
    unwrap(api.PUT('/api/v1/admin/sellers/{seller_id}/reinstate', { params: { path } })),
  );
  const facts: [string, string][] = [
    [
      t('admin.shops.legalForm'),
      shop.legal_form ? tMaybe(`admin.legal.${shop.legal_form}`, shop.legal_form) : '—',
    ],
    [t('admin.shops.binIin'), shop.bin_iin ?? '—'],
    [t('admin.shops.vat'), shop.vat_payer ? t('common.yes') : t('common.no')],
    [t('admin.shops.iban'), shop.iban ?? '—'],
    [t('admin.shops.bik'), shop.bik ?? '—'],
    [t('admin.shops.kbe'), shop.kbe ?? '—'],
    [t('admin.shops.city'), shop.city ?? '—'],
    [t('admin.shops.phone'), shop.support_phone ?? '—'],
    [t('admin.shops.submitted'), when(shop.updated_at)],
  ];
  if (shop.status_reason) facts.push([t('admin.shops.reason'), shop.status_reason]);
  return (
    <article class="card shop" aria-labelledby={id}>
      <header class="card-head">
        <h2 id={id}>{name}</h2>
        <StatusBadge prefix="admin.shop." status={shop.status} />
      </header>
      {shop.description && <p>{shop.description}</p>}
      <dl class="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <ErrorBox error={approve.error ?? reinstate.error} />
      <div class="form-actions">
        {shop.status === 'pending_review' && (
          <>
            <RunButton
              primary
              label={t('admin.shops.approve')}
              action={approve}
              onDone={() => props.onDone(t('admin.shops.approved', { name }))}
            />
            <ReasonMove move="reject" shop={shop} onDone={props.onDone} />
          </>
        )}
        {shop.status === 'approved' && (
          <ReasonMove move="suspend" shop={shop} onDone={props.onDone} />
        )}
        {shop.status === 'suspended' && (
          <RunButton
            label={t('admin.shops.reinstate')}
            action={reinstate}
            onDone={() => props.onDone(t('admin.shops.reinstated', { name }))}
          />
        )}
      </div>
    </article>
  );
}

const MOVES = {
  reject: {
    label: 'admin.shops.reject',
    field: 'admin.shops.rejectReason',
    done: 'admin.shops.rejected',
  },
  suspend: {
    label: 'admin.shops.suspend',
    field: 'admin.shops.suspendReason',
    done: 'admin.shops.suspended',
  },
} as const;

/** Reject or suspend: a move that takes a reason, asked once. */
function ReasonMove(props: {
  move: keyof typeof MOVES;
  shop: Shop;
  onDone: (message: string) => void;
}) {
  const m = MOVES[props.move];
  const name = props.shop.name ?? t('admin.shops.unnamed');
  return (
    <ReasonAction
      label={t(m.label)}
      fieldLabel={m.field}
      field="reason"
      danger
      onSubmit={(reason) =>
        unwrap(
          api.PUT(`/api/v1/admin/sellers/{seller_id}/${props.move}`, {
            params: { path: { seller_id: props.shop.seller_id } },
            body: { reason },
          }),
        )
      }
      onDone={() => props.onDone(t(m.done, { name }))}
    />
  );
}
