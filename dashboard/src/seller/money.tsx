// The seller's money: balance, the month's statement (figures and CSV), the ledger and payouts.
import { useState } from 'preact/hooks';

import { api, download, type Schemas, unwrap } from '../api';
import { money, t, when } from '../i18n';
import type { ScreenProps } from '../screens';
import {
  Busy,
  ErrorBox,
  Field,
  Page,
  Pager,
  SelectField,
  Stat,
  Table,
  useAction,
  useLoad,
  usePaged,
} from '../ui';
import { LEDGER_TYPES, type LedgerType, PayoutBadge } from './labels';

type Entry = Schemas['LedgerEntryResponse'];
type Payout = Schemas['PayoutResponse'];
type Balance = Schemas['BalanceResponse'];
type Statement = Schemas['StatementResponse'];

/** This month in Almaty as `yyyy-mm` (statements are cut at Almaty midnights). */
export function thisMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Almaty',
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/** The balance as five figures. */
export function BalanceStats(props: { balance: Balance; short?: boolean }) {
  const b = props.balance;
  return (
    <div class="stats">
      <Stat label={t('seller.money.available')} value={money(b.available)} />
      <Stat label={t('seller.money.pending')} value={money(b.pending)} />
      <Stat label={t('seller.money.paidOut')} value={money(b.paid_out)} />
      {!props.short && (
        <>
          <Stat label={t('seller.money.lifetimeSales')} value={money(b.lifetime_sales)} />
          <Stat label={t('seller.money.lifetimeCommission')} value={money(b.lifetime_commission)} />
        </>
      )}
    </div>
  );
}

export function SellerMoney(_props: ScreenProps) {
  const balance = useLoad(() => unwrap(api.GET('/api/v1/seller/balance')), []);
  return (
    <Page title={t('nav.seller.money')}>
      <section aria-labelledby="balance-title">
        <h2 id="balance-title">{t('seller.money.balance')}</h2>
        {balance.loading && <Busy />}
        <ErrorBox error={balance.error} onRetry={balance.reload} />
        {balance.data && <BalanceStats balance={balance.data} />}
      </section>
      <Statement />
      <Ledger />
      <Payouts />
    </Page>
  );
}

/** The statement's JSON answer (the route answers CSV only when asked by `Accept`). */
function jsonStatement(answer: Statement | string): Statement {
  if (typeof answer === 'string') throw new Error(t('error.generic', { status: 200 }));
  return answer;
}

function Statement() {
  const [month, setMonth] = useState(thisMonth());
  const valid = /^\d{4}-\d{2}$/.test(month);
  const statement = useLoad(
    () =>
      valid
        ? unwrap(
            api.GET('/api/v1/seller/statements/{month}', { params: { path: { month } } }),
          ).then(jsonStatement)
        : Promise.resolve(undefined),
    [month],
  );
  const csv = useAction(() =>
    download(`/api/v1/seller/statements/${month}`, `statement-${month}.csv`),
  );
  const s = statement.data;
  const rows: [string, number][] = s
    ? [
        [t('seller.money.opening'), s.opening_balance],
        [t('seller.money.sales'), s.sales],
        [t('seller.money.commission'), s.commission],
        [t('seller.money.commissionVat'), s.commission_vat],
        [t('seller.money.refunds'), s.refunds],
        [t('seller.money.commissionReversals'), s.commission_reversals],
        [t('seller.money.payouts'), s.payouts],
        [t('seller.money.adjustments'), s.adjustments],
        [t('seller.money.closing'), s.closing_balance],
      ]
    : [];
  return (
    <section aria-labelledby="statement-title">
      <h2 id="statement-title">{t('seller.money.statement')}</h2>
      <div class="filters">
        <Field label={t('seller.money.month')} error={statement.error?.fields.month}>
          {(a) => (
            <input
              {...a}
              type="month"
              value={month}
              onChange={(e) => setMonth((e.currentTarget as HTMLInputElement).value)}
            />
          )}
        </Field>
        <button type="button" disabled={!valid || csv.busy} onClick={() => void csv.run()}>
          {csv.busy ? t('common.loading') : t('seller.money.downloadCsv')}
        </button>
      </div>
      <ErrorBox error={csv.error} />
      {statement.loading && <Busy />}
      <ErrorBox error={statement.error} onRetry={statement.reload} />
      {s && (
        <Table<[string, number]>
          caption={t('seller.money.statement')}
          rowKey={(r) => r[0]}
          rows={rows}
          columns={[
            { label: t('seller.money.type'), cell: (r) => r[0] },
            { label: t('common.amount'), num: true, cell: (r) => money(r[1]) },
          ]}
        />
      )}
    </section>
  );
}

function Ledger() {
  const [type, setType] = useState<LedgerType | ''>('');
  const list = usePaged(
    (page) =>
      unwrap(
        api.GET('/api/v1/seller/ledger', {
          params: { query: { page, page_size: 20, type: type || undefined } },
        }),
      ),
    [type],
  );
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('seller.money.ledger')}</h2>
      <div class="filters">
        <SelectField
          label={t('seller.money.type')}
          value={type}
          onChange={(v) => setType(v as LedgerType)}
          options={[
            { value: '', label: t('common.all') },
            ...LEDGER_TYPES.map((x) => ({ value: x, label: t(`seller.ledger.${x}`) })),
          ]}
        />
      </div>
      {list.loading && <Busy />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && (
        <Table<Entry>
          caption={t('seller.money.ledger')}
          rowKey={(e) => e.id}
          rows={list.data.items}
          columns={[
            { label: t('common.date'), cell: (e) => when(e.created_at) },
            { label: t('seller.money.type'), cell: (e) => t(`seller.ledger.${e.type}`) },
            { label: t('common.amount'), num: true, cell: (e) => money(e.amount) },
            { label: t('seller.money.availableAt'), cell: (e) => when(e.available_at) },
            { label: t('seller.money.note'), cell: (e) => e.note ?? '' },
          ]}
        />
      )}
      <Pager page={list.data} onPage={list.setPage} />
    </section>
  );
}

function Payouts() {
  const list = usePaged(
    (page) =>
      unwrap(api.GET('/api/v1/seller/payouts', { params: { query: { page, page_size: 20 } } })),
    [],
  );
  return (
    <section aria-labelledby="payouts-title">
      <h2 id="payouts-title">{t('seller.money.payoutsList')}</h2>
      {list.loading && <Busy />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && (
        <Table<Payout>
          caption={t('seller.money.payoutsList')}
          rowKey={(p) => p.id}
          rows={list.data.items}
          columns={[
            { label: t('common.date'), cell: (p) => when(p.created_at) },
            { label: t('common.amount'), num: true, cell: (p) => money(p.amount) },
            { label: t('common.status'), cell: (p) => <PayoutBadge status={p.status} /> },
            { label: t('seller.money.bankReference'), cell: (p) => p.bank_reference ?? '—' },
            { label: t('seller.money.paidAt'), cell: (p) => when(p.paid_at) },
          ]}
        />
      )}
      <Pager page={list.data} onPage={list.setPage} />
    </section>
  );
}
