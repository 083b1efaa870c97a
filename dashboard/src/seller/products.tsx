// The seller's products: a paginated list (inactive ones included) with deactivate / activate.
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { money, t } from '../i18n';
import { href } from '../router';
import type { ScreenProps } from '../screens';
import {
  Badge,
  Busy,
  ConfirmButton,
  ErrorBox,
  Notice,
  Page,
  Pager,
  Table,
  useAction,
  usePaged,
} from '../ui';

type Product = Schemas['ProductResponse'];

export function SellerProducts(_props: ScreenProps) {
  const list = usePaged(
    (page) =>
      unwrap(api.GET('/api/v1/seller/products', { params: { query: { page, page_size: 20 } } })),
    [],
  );
  const [done, setDone] = useState('');
  const toggle = useAction(async (p: Product) => {
    setDone('');
    if (p.is_active) {
      // 204: no body
      await unwrap(api.DELETE('/api/v1/products/{id}', { params: { path: { id: p.id } } }));
      setDone(t('seller.products.deactivated', { name: p.name }));
    } else {
      await unwrap(
        api.PUT('/api/v1/products/{id}', {
          params: { path: { id: p.id } },
          body: { is_active: true },
        }),
      );
      setDone(t('seller.products.activated', { name: p.name }));
    }
    list.reload();
  });
  return (
    <Page
      title={t('nav.seller.products')}
      actions={
        <a class="button primary" href={href('/seller/products/new')}>
          {t('seller.products.new')}
        </a>
      }
    >
      {list.loading && <Busy />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      <ErrorBox error={toggle.error} />
      {done && <Notice>{done}</Notice>}
      {list.data && (
        <Table<Product>
          caption={t('nav.seller.products')}
          rowKey={(p) => p.id}
          rows={list.data.items}
          columns={[
            {
              label: t('seller.products.name'),
              cell: (p) => (
                <span class="product-cell">
                  {p.image_urls[0] && <img src={p.image_urls[0]} alt="" width={40} height={40} />}
                  <a href={href(`/seller/products/${p.id}`)}>{p.name}</a>
                </span>
              ),
            },
            { label: t('seller.products.price'), num: true, cell: (p) => money(p.price) },
            { label: t('seller.products.quantity'), num: true, cell: (p) => p.quantity },
            {
              label: t('common.status'),
              cell: (p) =>
                p.is_active ? (
                  <Badge tone="ok">{t('seller.products.active')}</Badge>
                ) : (
                  <Badge tone="bad">{t('seller.products.inactive')}</Badge>
                ),
            },
            {
              label: t('common.actions'),
              cell: (p) =>
                p.is_active ? (
                  <ConfirmButton
                    danger
                    label={t('seller.products.deactivate')}
                    busy={toggle.busy}
                    onConfirm={() => toggle.run(p)}
                  />
                ) : (
                  <button type="button" disabled={toggle.busy} onClick={() => void toggle.run(p)}>
                    {t('seller.products.activate')}
                  </button>
                ),
            },
          ]}
        />
      )}
      <Pager page={list.data} onPage={list.setPage} />
    </Page>
  );
}
