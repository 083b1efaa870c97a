// Returns to decide: the buyer's request with its lines and reasons; approve, reject with a
// reason, and once the parcel is back, receive it (stock returns, the refund is made).
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { money, t, when } from '../i18n';
import type { ScreenProps } from '../screens';
import { Busy, ConfirmButton, ErrorBox, Page, TextField, useAction, usePaged } from '../ui';
import { RETURN_STATUSES, ReturnBadge, type ReturnStatus } from './labels';
import { CardList, StatusFilter } from './queue';

type Return = Schemas['ReturnResponse'];

export function SellerReturns(props: ScreenProps) {
  const status = (props.query.get('status') ?? '') as ReturnStatus | '';
  const list = usePaged(
    (page) =>
      unwrap(
        api.GET('/api/v1/returns', {
          params: { query: { page, page_size: 20, status: status || undefined } },
        }),
      ),
    [status],
  );
  const [done, setDone] = useState('');
  return (
    <Page title={t('nav.seller.returns')}>
      <StatusFilter
        path="/seller/returns"
        value={status}
        statuses={RETURN_STATUSES}
        name={(s) => t(`seller.returnStatus.${s}`)}
      />
      <CardList
        list={list}
        done={done}
        card={(r) => (
          <ReturnCard
            ret={r}
            onDecided={(next) => {
              setDone(
                t('seller.returns.decided', {
                  status: t(`seller.returnStatus.${next.status}`),
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

function ReturnCard(props: { ret: Return; onDecided: (r: Return) => void }) {
  const r = props.ret;
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const act = useAction(async (what: 'approve' | 'reject' | 'receive') => {
    const path = { params: { path: { id: r.id } } };
    const next =
      what === 'approve'
        ? await unwrap(api.PUT('/api/v1/returns/{id}/approve', { ...path, body: {} }))
        : what === 'reject'
          ? await unwrap(
              api.PUT('/api/v1/returns/{id}/reject', { ...path, body: { note: note.trim() } }),
            )
          : await unwrap(api.PUT('/api/v1/returns/{id}/receive', path));
    props.onDecided(next);
  });
  const headingId = `return-${r.id}`;
  const ref = r.order_id.slice(0, 8);
  return (
    <article class="card" aria-labelledby={headingId}>
      <header class="card-head">
        <h2 id={headingId}>{t('seller.returns.title', { ref })}</h2>
        <ReturnBadge status={r.status} />
      </header>
      <p class="muted">{t('seller.returns.requested', { date: when(r.created_at) })}</p>
      <ul class="lines">
        {r.items.map((i) => (
          <li key={i.order_item_id}>
            {t('seller.returns.line', {
              name: i.product_name,
              quantity: i.quantity,
              reason: t(`seller.returnReason.${i.reason}`),
            })}
            {i.comment && <q>{i.comment}</q>}
          </li>
        ))}
      </ul>
      <p>
        <strong>{t('seller.returns.refund', { amount: money(r.refund_amount) })}</strong>
      </p>
      {r.decision_note && <p>{t('seller.returns.note', { note: r.decision_note })}</p>}
      <ErrorBox error={act.error} />
      {act.busy ? (
        <Busy label={t('common.saving')} />
      ) : r.status === 'requested' ? (
        <div class="form-actions">
          {rejecting ? (
            <>
              <TextField
                label={t('seller.returns.rejectNote')}
                value={note}
                onInput={setNote}
                error={act.fields.note}
                required
              />
              <ConfirmButton
                danger
                label={t('seller.returns.reject')}
                onConfirm={() => act.run('reject')}
              />
              <button type="button" onClick={() => setRejecting(false)}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <>
              <button type="button" class="primary" onClick={() => void act.run('approve')}>
                {t('seller.returns.approve')}
              </button>
              <button type="button" class="danger" onClick={() => setRejecting(true)}>
                {t('seller.returns.rejectStart')}
              </button>
            </>
          )}
        </div>
      ) : r.status === 'approved' ? (
        <div class="form-actions">
          <ConfirmButton label={t('seller.returns.receive')} onConfirm={() => act.run('receive')} />
        </div>
      ) : null}
    </article>
  );
}
