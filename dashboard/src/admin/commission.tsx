// Commission rules: the global rate, per category and per seller; rate in percent, optional
// minimum and maximum fee per line. The server checks the figures and names the field it refuses.
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { money, t, tMaybe, when } from '../i18n';
import type { ScreenProps } from '../screens';
import {
  Busy,
  type Column,
  ConfirmButton,
  ErrorBox,
  Notice,
  Page,
  Pager,
  SelectField,
  Table,
  TextField,
  useAction,
  useLoad,
} from '../ui';
import { numberOrRaw } from './numbers';
import { got, statusOptions } from './parts';

type Rule = Schemas['CommissionRuleResponse'];
type Scope = Rule['scope'];
type Category = NonNullable<Schemas['CreateCommissionRuleDto']['category']>;
const CATEGORIES = [
  'electronics',
  'clothing',
  'food',
  'books',
  'toys',
  'sports',
  'home',
  'beauty',
  'other',
] as const satisfies readonly Category[];
const PAGE_SIZE = 20;

function targetOf(rule: Rule): string {
  if (rule.scope === 'category')
    return `${t('admin.scope.category')}: ${tMaybe(`admin.category.${rule.category}`, rule.category ?? '')}`;
  if (rule.scope === 'seller') return `${t('admin.scope.seller')}: ${rule.seller_id}`;
  return t('admin.scope.global');
}

export function AdminCommission(_props: ScreenProps) {
  const rules = useLoad(() => got(api.GET('/api/v1/admin/commission-rules')), []);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Rule | undefined>();
  const [notice, setNotice] = useState('');
  const all = rules.data ?? [];
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const shown = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const done = (message: string) => {
    setNotice(message);
    setEditing(undefined);
    rules.reload();
  };
  const columns: Column<Rule>[] = [
    { label: t('admin.rules.target'), cell: targetOf },
    { label: t('admin.rules.rate'), num: true, cell: (r) => `${r.rate_percent} %` },
    {
      label: t('admin.rules.minFee'),
      num: true,
      cell: (r) => (r.min_fee === null ? t('admin.rules.none') : money(r.min_fee)),
    },
    {
      label: t('admin.rules.maxFee'),
      num: true,
      cell: (r) => (r.max_fee === null ? t('admin.rules.none') : money(r.max_fee)),
    },
    { label: t('common.date'), cell: (r) => when(r.created_at) },
    {
      label: t('common.actions'),
      cell: (r) => <RuleActions rule={r} onEdit={() => setEditing(r)} onDeleted={done} />,
    },
  ];
  return (
    <Page title={t('nav.admin.commission')}>
      <p class="muted">{t('admin.rules.order')}</p>
      {notice && <Notice>{notice}</Notice>}
      {editing ? (
        <RuleForm
          key={editing.id}
          rule={editing}
          onSaved={() => done(t('admin.rules.saved'))}
          onCancel={() => setEditing(undefined)}
        />
      ) : (
        <RuleForm onSaved={() => done(t('admin.rules.created'))} />
      )}
      <h2>{t('admin.rules.caption')}</h2>
      <ErrorBox error={rules.error} onRetry={rules.reload} />
      {rules.loading && !rules.data && <Busy />}
      {rules.data && (
        <Table
          caption={t('admin.rules.caption')}
          columns={columns}
          rows={shown}
          rowKey={(r) => r.id}
        />
      )}
      <Pager
        page={{ items: shown, total: all.length, page, page_size: PAGE_SIZE, pages }}
        onPage={setPage}
      />
    </Page>
  );
}

function RuleActions(props: { rule: Rule; onEdit: () => void; onDeleted: (m: string) => void }) {
  const remove = useAction(() =>
    unwrap(
      api.DELETE('/api/v1/admin/commission-rules/{id}', {
        params: { path: { id: props.rule.id } },
      }),
    ),
  );
  return (
    <div class="row-actions">
      <button
        type="button"
        onClick={props.onEdit}
        aria-label={`${t('common.edit')}: ${targetOf(props.rule)}`}
      >
        {t('common.edit')}
      </button>
      {props.rule.scope !== 'global' && (
        <ConfirmButton
          label={t('common.delete')}
          danger
          busy={remove.busy}
          onConfirm={async () => {
            if (await remove.run()) props.onDeleted(t('admin.rules.deleted'));
          }}
        />
      )}
      <ErrorBox error={remove.error} />
    </div>
  );
}

const feeText = (fee: number | null | undefined) =>
  fee === null || fee === undefined ? '' : String(fee);

/** Creates a rule, or edits `rule` (its rate and fees; the scope and target stay). */
function RuleForm(props: { rule?: Rule; onSaved: () => void; onCancel?: () => void }) {
  const { rule } = props;
  const [scope, setScope] = useState<Scope>(rule?.scope ?? 'category');
  const [category, setCategory] = useState<Category>('electronics');
  const [sellerId, setSellerId] = useState('');
  const [rate, setRate] = useState(rule ? String(rule.rate_percent) : '');
  const [minFee, setMinFee] = useState(feeText(rule?.min_fee));
  const [maxFee, setMaxFee] = useState(feeText(rule?.max_fee));
  const save = useAction(async () => {
    // typed as numbers; a text that is not one goes as typed and the server names the field
    const figures = {
      rate_percent: (numberOrRaw(rate) ?? '') as number,
      min_fee: numberOrRaw(minFee) as number | null,
      max_fee: numberOrRaw(maxFee) as number | null,
    };
    if (rule) {
      await unwrap(
        api.PUT('/api/v1/admin/commission-rules/{id}', {
          params: { path: { id: rule.id } },
          body: figures,
        }),
      );
    } else {
      await unwrap(
        api.POST('/api/v1/admin/commission-rules', {
          body: {
            scope,
            category: scope === 'category' ? category : undefined,
            seller_id: scope === 'seller' ? sellerId.trim() : undefined,
            ...figures,
          },
        }),
      );
    }
    props.onSaved();
  });
  const f = save.fields;
  const title = rule ? t('admin.rules.editing', { target: targetOf(rule) }) : t('admin.rules.new');
  return (
    <section class="card" aria-labelledby="rule-form">
      <h2 id="rule-form">{title}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <div class="form-grid">
          {!rule && (
            <SelectField
              label={t('admin.rules.scope')}
              value={scope}
              options={statusOptions('admin.scope.', ['global', 'category', 'seller'], false)}
              onChange={(v) => setScope(v as Scope)}
              error={f.scope}
            />
          )}
          {!rule && scope === 'category' && (
            <SelectField
              label={t('admin.rules.category')}
              value={category}
              options={statusOptions('admin.category.', CATEGORIES, false)}
              onChange={(v) => setCategory(v as Category)}
              error={f.category}
            />
          )}
          {!rule && scope === 'seller' && (
            <TextField
              label={t('admin.rules.seller')}
              value={sellerId}
              onInput={setSellerId}
              error={f.seller_id}
            />
          )}
          <TextField
            label={t('admin.rules.rate')}
            value={rate}
            onInput={setRate}
            inputMode="decimal"
            error={f.rate_percent}
          />
          <TextField
            label={t('admin.rules.minFee')}
            hint={t('admin.rules.feeHint')}
            value={minFee}
            onInput={setMinFee}
            inputMode="decimal"
            error={f.min_fee}
          />
          <TextField
            label={t('admin.rules.maxFee')}
            hint={t('admin.rules.feeHint')}
            value={maxFee}
            onInput={setMaxFee}
            inputMode="decimal"
            error={f.max_fee}
          />
        </div>
        <ErrorBox error={save.error} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={save.busy}>
            {save.busy ? t('common.saving') : rule ? t('common.save') : t('common.create')}
          </button>
          {props.onCancel && (
            <button type="button" onClick={props.onCancel}>
              {t('common.cancel')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
