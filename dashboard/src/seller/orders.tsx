// Orders to fulfil: each order holding the seller's lines, with only their lines and fulfillment,
// moved along the workflow one button at a time (shipping asks for the tracking number).
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { money, t, when } from '../i18n';
import type { ScreenProps } from '../screens';
import { Busy, ConfirmButton, ErrorBox, Page, TextField, useAction, usePaged } from '../ui';
import { ORDER_STATUSES, OrderBadge, orderRef, type OrderStatus } from './labels';
import { CardList, StatusFilter } from './queue';

type Order = Schemas['OrderResponse'];

/** The seller's next move from each status (cancel is offered beside it where allowed). */
export const NEXT: Partial<Record<OrderStatus, OrderStatus>> = {
  pending: 'confirmed',
  confirmed: 'processing',
  processing: 'shipped',
  shipped: 'delivered',
};
const CANCELLABLE: OrderStatus[] = ['pending', 'confirmed', 'processing'];

export function SellerOrders(props: ScreenProps) {
  const status = (props.query.get('status') ?? '') as OrderStatus | '';
  const list = usePaged(
    (page) =>
      unwrap(
        api.GET('/api/v1/seller/orders', {
          params: { query: { page, page_size: 20, status: status || undefined } },
        }),
      ),
    [status],
  );
  const [done, setDone] = useState('');
  return (
    <Page title={t('nav.seller.orders')}>
      <StatusFilter
        path="/seller/orders"
        value={status}
        statuses={ORDER_STATUSES}
        name={(s) => t(`seller.orderStatus.${s}`)}
      />
      <CardList
        list={list}
        done={done}
        card={(o) => (
          <OrderCard
            order={o}
            sellerId={props.me.id}
            onMoved={(next) => {
              setDone(
                t('seller.orders.moved', {
                  ref: orderRef(next),
                  status: t(`seller.orderStatus.${next.fulfillments[0]?.status ?? next.status}`),
                }),
              );
              list.reload();
            }}
          />
        )}
      />
    </Page>
  );
}

function OrderCard(props: { order: Order; sellerId: string; onMoved: (order: Order) => void }) {
  const { order } = props;
  // a seller is shown only their own fulfillment (an admin acting as seller would see all)
  const mine =
    order.fulfillments.find((f) => f.seller_id === props.sellerId) ?? order.fulfillments[0];
  const status = mine?.status ?? order.status;
  const next = NEXT[status];
  const [tracking, setTracking] = useState('');
  const move = useAction(async (to: OrderStatus) => {
    const body: Schemas['ChangeOrderStatusDto'] = { status: to };
    if (to === 'shipped' && tracking.trim()) body.tracking_number = tracking.trim();
    const updated = await unwrap(
      api.PUT('/api/v1/orders/{id}/status', { params: { path: { id: order.id } }, body }),
    );
    props.onMoved(updated);
  });
  const headingId = `order-${order.id}`;
  return (
    <article class="card order" aria-labelledby={headingId}>
      <header class="card-head">
        <h2 id={headingId}>{t('seller.orders.order', { ref: orderRef(order) })}</h2>
        <OrderBadge status={status} />
      </header>
      <p class="muted">{t('seller.orders.placed', { date: when(order.created_at) })}</p>
      <ul class="lines">
        {order.items.map((i) => (
          <li key={i.id}>
            {t('seller.orders.line', { name: i.product_name, quantity: i.quantity })}
            <span class="num">{money(i.subtotal)}</span>
          </li>
        ))}
      </ul>
      <p>
        {t('seller.orders.delivery', {
          method: t(`seller.delivery.${order.delivery_method}`),
          cost: money(mine?.delivery_cost ?? order.delivery_cost),
        })}
        <br />
        <strong>
          {t('seller.orders.yours', {
            amount: money(mine ? mine.items_total + mine.delivery_cost : order.total_amount),
          })}
        </strong>
        <br />
        {t('seller.orders.payment', {
          status: order.payment_status
            ? t(`seller.payment.${order.payment_status}`)
            : t('seller.payment.none'),
        })}
      </p>
      <p class="muted">
        {t('seller.orders.address', { address: order.delivery_address })}
        <br />
        {t('seller.orders.phone', { phone: order.phone })}
        {order.comment && (
          <>
            <br />
            {t('seller.orders.comment', { comment: order.comment })}
          </>
        )}
      </p>
      {mine?.tracking_number && (
        <p>{t('seller.orders.trackingShown', { tracking: mine.tracking_number })}</p>
      )}
      <ErrorBox error={move.error} />
      {move.busy ? (
        <Busy label={t('common.saving')} />
      ) : (
        <div class="form-actions">
          {next === 'shipped' && (
            <TextField
              label={t('seller.orders.tracking')}
              value={tracking}
              onInput={setTracking}
              error={move.fields.tracking_number}
              placeholder="KZP123456789KZ"
            />
          )}
          {next && (
            <button type="button" class="primary" onClick={() => void move.run(next)}>
              {t(
                `seller.orders.move.${next as 'confirmed' | 'processing' | 'shipped' | 'delivered'}`,
              )}
            </button>
          )}
          {CANCELLABLE.includes(status) && (
            <ConfirmButton
              danger
              label={t('seller.orders.cancel')}
              onConfirm={() => move.run('cancelled')}
            />
          )}
        </div>
      )}
    </article>
  );
}
