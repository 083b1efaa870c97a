// Payouts: make a batch of every seller's available balance (a long action), the list by status
// or batch, the bank register of a batch (CSV), and marking each payout paid or failed.
import { useState } from 'preact/hooks';

import { api, download, type Schemas, unwrap } from '../api';
import { money, t, tMaybe, when } from '../i18n';
import type { ScreenProps } from '../screens';
import {
  Busy,
  type Column,
  ErrorBox,
  Notice,
  Page,
  SelectField,
  Table,
  TextField,
  useAction,
  usePaged,
} from '../ui';
import { numberOrRaw } from './numbers';
import { got, PagedView, ReasonAction, setQuery, StatusBadge, statusOptions } from './parts';

type Payout = Schemas['PayoutResponse'];
type Batch = Schemas['PayoutBatchResponse'];
const PATH = '/admin/payouts';

const registerOf = (batchId: string) =>
  download(
    `/api/v1/admin/payouts/batches/${encodeURIComponent(batchId)}/register`,
    `payouts-${batchId.slice(0, 8)}.csv`,
  );

export function AdminPayouts({ query }: ScreenProps) {
  const status = (query.get('status') ?? '') as Payout['status'] | '';
  const batch = query.get('batch') ?? '';
  const [notice, setNotice] = useState('');
  const list = usePaged(
    (page) =>
      got(
        api.GET('/api/v1/admin/payouts', {
          params: {
            query: {
              page,
              page_size: 20,
              status: status || undefined,
              batch_id: batch || undefined,
            },
          },
        }),
      ),
    [status, batch],
  );
  const register = useAction(registerOf);
  const done = (message: string) => {
    setNotice(message);
    list.reload();
  };
  const columns: Column<Payout>[] = [
    {
      label: t('admin.payouts.shop'),
      cell: (p) => (
        <>
          <strong>{p.shop_name}</strong>
          <div class="muted">{when(p.created_at)}</div>
        </>
      ),
    },
    {
      label: t('admin.payouts.requisites'),
      cell: (p) => (
        <span class="mono">
          {p.bin_iin}
          <br />
          {p.iban} · {p.bik} · {p.kbe}
        </span>
      ),
    },
    { label: t('common.amount'), num: true, cell: (p) => money(p.amount) },
    {
      label: t('common.status'),
      cell: (p) => (
        <>
          <StatusBadge prefix="admin.payout." status={p.status} />
          {p.bank_reference && (
            <div class="muted">{t('admin.payouts.paidRef', { ref: p.bank_reference })}</div>
          )}
          {p.failure_reason && <div class="muted">{p.failure_reason}</div>}
        </>
      ),
    },
    {
      label: t('admin.payouts.batch'),
      cell: (p) => (
        <button
          type="button"
          class="link"
          disabled={register.busy}
          aria-label={t('admin.payouts.registerOf', { batch: p.batch_id.slice(0, 8) })}
          onClick={() => void register.run(p.batch_id)}
        >
          {p.batch_id.slice(0, 8)}
        </button>
      ),
    },
    {
      label: t('common.actions'),
      cell: (p) =>
        p.status === 'pending' ? (
          <div class="row-actions">
            <ReasonAction
              label={t('admin.payouts.markPaid')}
              fieldLabel="admin.payouts.bankReference"
              field="bank_reference"
              onSubmit={(ref) =>
                unwrap(
                  api.PUT('/api/v1/admin/payouts/{id}/paid', {
                    params: { path: { id: p.id } },
                    body: { bank_reference: ref },
                  }),
                )
              }
              onDone={() => done(t('admin.payouts.paidNotice', { name: p.shop_name }))}
            />
            <ReasonAction
              label={t('admin.payouts.markFailed')}
              fieldLabel="admin.payouts.failReason"
              field="reason"
              danger
              onSubmit={(reason) =>
                unwrap(
                  api.PUT('/api/v1/admin/payouts/{id}/failed', {
                    params: { path: { id: p.id } },
                    body: { reason },
                  }),
                )
              }
              onDone={() => done(t('admin.payouts.failedNotice', { name: p.shop_name }))}
            />
          </div>
        ) : null,
    },
  ];
  return (
    <Page title={t('nav.admin.payouts')}>
      <CreateBatch
        onCreated={(b) => {
          setNotice('');
          setQuery(PATH, query, { batch: b.batch_id, status: '' });
          list.reload();
        }}
        register={register.run}
      />
      <h2>{t('admin.payouts.caption')}</h2>
      <div class="filters">
        <SelectField
          label={t('admin.payouts.status')}
          value={status}
          options={statusOptions('admin.payout.', ['pending', 'paid', 'failed'])}
          onChange={(v) => setQuery(PATH, query, { status: v })}
        />
        {batch && (
          <>
            <button type="button" onClick={() => void register.run(batch)} disabled={register.busy}>
              {t('admin.payouts.registerOf', { batch: batch.slice(0, 8) })}
            </button>
            <button type="button" onClick={() => setQuery(PATH, query, { batch: '' })}>
              {t('admin.payouts.allBatches')}
            </button>
          </>
        )}
      </div>
      {register.busy && <Busy />}
      <ErrorBox error={register.error} />
      {notice && <Notice>{notice}</Notice>}
      <PagedView list={list}>
        {(rows) => (
          <Table
            caption={t('admin.payouts.caption')}
            columns={columns}
            rows={rows}
            rowKey={(p) => p.id}
          />
        )}
      </PagedView>
    </Page>
  );
}

function CreateBatch(props: {
  onCreated: (batch: Batch) => void;
  register: (batchId: string) => Promise<boolean>;
}) {
  const [minAmount, setMinAmount] = useState('1000');
  const [made, setMade] = useState<Batch | undefined>();
  const create = useAction(async () => {
    const batch = await got(
      api.POST('/api/v1/admin/payouts', {
        body: { min_amount: numberOrRaw(minAmount) as number },
      }),
    );
    setMade(batch);
    if (batch.payouts.length > 0) props.onCreated(batch);
  });
  const total = made?.payouts.reduce((s, p) => s + Math.round(p.amount * 100), 0) ?? 0;
  return (
    <section class="card" aria-labelledby="new-batch">
      <h2 id="new-batch">{t('admin.payouts.create')}</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setMade(undefined);
          void create.run();
        }}
      >
        <TextField
          label={t('admin.payouts.minAmount')}
          hint={t('admin.payouts.minAmountHint')}
          value={minAmount}
          onInput={setMinAmount}
          inputMode="decimal"
          error={create.fields.min_amount}
        />
        <button type="submit" class="primary" disabled={create.busy}>
          {t('admin.payouts.run')}
        </button>
      </form>
      {create.busy && <Busy label={t('admin.payouts.running')} />}
      {!create.fields.min_amount && <ErrorBox error={create.error} />}
      {made && made.payouts.length === 0 && <Notice>{t('admin.payouts.none')}</Notice>}
      {made && made.payouts.length > 0 && (
        <Notice>
          {t('admin.payouts.created', {
            count: made.payouts.length,
            amount: money(total / 100),
            skipped: made.skipped.length,
          })}{' '}
          <button type="button" class="link" onClick={() => void props.register(made.batch_id)}>
            {t('admin.payouts.register')}
          </button>
        </Notice>
      )}
      {made && made.skipped.length > 0 && (
        <details>
          <summary>
            {t('admin.payouts.skipped')}: {made.skipped.length}
          </summary>
          <ul>
            {made.skipped.map((s) => (
              <li key={s.seller_id}>
                <span class="mono">{s.seller_id}</span> —{' '}
                {tMaybe(`admin.payouts.skip.${s.reason}`, s.reason)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
