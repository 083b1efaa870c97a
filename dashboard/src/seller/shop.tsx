// Shop onboarding: the legal and bank identity behind the products, sent to an admin for review.
// The server checks BIN/IIN, IBAN, BIK and KBe; its field errors show on the field it names.
import { useEffect, useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { t } from '../i18n';
import type { ScreenProps } from '../screens';
import {
  Busy,
  ErrorBox,
  Field,
  Notice,
  Page,
  SelectField,
  TextField,
  useAction,
  useLoad,
} from '../ui';
import { ShopBadge } from './labels';

type Shop = Schemas['ShopResponse'];
type ShopForm = Required<Omit<Schemas['UpdateShopDto'], 'vat_payer' | 'legal_form'>> & {
  legal_form: '' | 'ip' | 'too' | 'individual';
  vat_payer: boolean;
};
const TEXT_FIELDS = [
  'name',
  'slug',
  'description',
  'city',
  'support_phone',
  'bin_iin',
  'iban',
  'bik',
  'kbe',
] as const;

function formOf(shop: Shop): ShopForm {
  return {
    name: shop.name ?? '',
    slug: shop.slug ?? '',
    description: shop.description ?? '',
    city: shop.city ?? '',
    support_phone: shop.support_phone ?? '',
    legal_form: shop.legal_form ?? '',
    bin_iin: shop.bin_iin ?? '',
    vat_payer: shop.vat_payer,
    iban: shop.iban ?? '',
    bik: shop.bik ?? '',
    kbe: shop.kbe ?? '',
  };
}

/** The fields the seller filled in (an empty one is left as it is on the server). */
function bodyOf(form: ShopForm): Schemas['UpdateShopDto'] {
  const body: Schemas['UpdateShopDto'] = { vat_payer: form.vat_payer };
  for (const key of TEXT_FIELDS) {
    const value = form[key].trim();
    if (value) body[key] = value;
  }
  if (form.legal_form) body.legal_form = form.legal_form;
  return body;
}

/** The shop's status with what it means and, when rejected or suspended, why. */
export function ShopStatusCard(props: { shop: Shop; link?: boolean }) {
  const { shop } = props;
  return (
    <div class={`card shop-status ${shop.status}`} aria-labelledby="shop-status-title">
      <h2 id="shop-status-title">
        {t('seller.shop.statusTitle')}: <ShopBadge status={shop.status} />
      </h2>
      <p>{t(`seller.shopHint.${shop.status}`)}</p>
      {shop.status_reason && (shop.status === 'rejected' || shop.status === 'suspended') && (
        <p class="reason">
          <strong>{t('seller.shop.reason', { reason: shop.status_reason })}</strong>
        </p>
      )}
      {props.link && <a href="#/seller/shop">{t('seller.shop.open')}</a>}
    </div>
  );
}

export function SellerShop(_props: ScreenProps) {
  const loaded = useLoad(() => unwrap(api.GET('/api/v1/seller/shop')), []);
  const [shop, setShop] = useState<Shop | undefined>();
  const [form, setForm] = useState<ShopForm | undefined>();
  const [done, setDone] = useState('');
  useEffect(() => {
    if (loaded.data) {
      setShop(loaded.data);
      setForm(formOf(loaded.data));
    }
  }, [loaded.data]);

  const save = useAction(async (submit: boolean) => {
    setDone('');
    let next = await unwrap(api.PUT('/api/v1/seller/shop', { body: bodyOf(form!) }));
    setShop(next);
    if (submit) next = await unwrap(api.POST('/api/v1/seller/shop/submit'));
    setShop(next);
    setForm(formOf(next));
    setDone(submit ? t('seller.shop.submitted') : t('seller.shop.saved'));
  });
  const holiday = useAction(async (on: boolean) => {
    const next = await unwrap(api.PUT('/api/v1/seller/shop/holiday', { body: { holiday: on } }));
    setShop(next);
  });

  if (!shop || !form) {
    return (
      <Page title={t('nav.seller.shop')}>
        {loaded.loading && <Busy />}
        <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      </Page>
    );
  }
  const f = save.fields;
  const set = (key: keyof ShopForm) => (value: string) => setForm({ ...form, [key]: value });
  const canSubmit = shop.status === 'draft' || shop.status === 'rejected';
  return (
    <Page title={t('nav.seller.shop')}>
      <ShopStatusCard shop={shop} />
      {shop.status === 'approved' && (
        <div class="card row">
          <span>
            {shop.holiday ? <strong>{t('seller.shop.holiday')}</strong> : null}{' '}
            <small class="hint">{t('seller.shop.holidayHint')}</small>
          </span>
          <button
            type="button"
            disabled={holiday.busy}
            onClick={() => void holiday.run(!shop.holiday)}
          >
            {shop.holiday ? t('seller.shop.holidayOff') : t('seller.shop.holidayOn')}
          </button>
          <ErrorBox error={holiday.error} />
        </div>
      )}
      <form
        class="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save.run(false);
        }}
      >
        <h2>{t('seller.shop.about')}</h2>
        <div class="form-grid">
          <TextField
            label={t('seller.shop.name')}
            value={form.name}
            onInput={set('name')}
            error={f.name}
            required
          />
          <TextField
            label={t('seller.shop.slug')}
            value={form.slug}
            onInput={set('slug')}
            error={f.slug}
            hint={t('seller.shop.slugHint')}
          />
          <TextField
            label={t('seller.shop.city')}
            value={form.city}
            onInput={set('city')}
            error={f.city}
          />
          <TextField
            label={t('seller.shop.phone')}
            type="tel"
            autocomplete="tel"
            value={form.support_phone}
            onInput={set('support_phone')}
            error={f.support_phone}
            placeholder="+77011234567"
          />
        </div>
        <Field label={t('seller.shop.description')} error={f.description}>
          {(a) => (
            <textarea
              {...a}
              rows={3}
              value={form.description}
              onInput={(e) => set('description')((e.currentTarget as HTMLTextAreaElement).value)}
            />
          )}
        </Field>
        <h2>{t('seller.shop.legal')}</h2>
        <div class="form-grid">
          <SelectField
            label={t('seller.shop.legalForm')}
            error={f.legal_form}
            value={form.legal_form}
            onChange={set('legal_form')}
            options={[
              { value: '', label: t('seller.shop.legalForm.none') },
              ...(['ip', 'too', 'individual'] as const).map((v) => ({
                value: v,
                label: t(`seller.shop.legalForm.${v}`),
              })),
            ]}
          />
          <TextField
            label={t('seller.shop.binIin')}
            inputMode="numeric"
            maxLength={12}
            value={form.bin_iin}
            onInput={set('bin_iin')}
            error={f.bin_iin}
            hint={t('seller.shop.binIinHint')}
          />
          <TextField
            label={t('seller.shop.iban')}
            value={form.iban}
            onInput={set('iban')}
            error={f.iban}
            hint={t('seller.shop.ibanHint')}
          />
          <TextField
            label={t('seller.shop.bik')}
            value={form.bik}
            onInput={set('bik')}
            error={f.bik}
          />
          <TextField
            label={t('seller.shop.kbe')}
            inputMode="numeric"
            maxLength={2}
            value={form.kbe}
            onInput={set('kbe')}
            error={f.kbe}
            hint={t('seller.shop.kbeHint')}
          />
          <div class="field check">
            <label>
              <input
                type="checkbox"
                checked={form.vat_payer}
                onChange={(e) =>
                  setForm({ ...form, vat_payer: (e.currentTarget as HTMLInputElement).checked })
                }
              />{' '}
              {t('seller.shop.vat')}
            </label>
          </div>
        </div>
        <ErrorBox error={save.error} />
        {done && <Notice>{done}</Notice>}
        <div class="form-actions">
          {save.busy ? (
            <Busy label={t('common.saving')} />
          ) : (
            <>
              <button type="submit">{t('common.save')}</button>
              {canSubmit && (
                <button type="button" class="primary" onClick={() => void save.run(true)}>
                  {t('seller.shop.submit')}
                </button>
              )}
            </>
          )}
        </div>
      </form>
    </Page>
  );
}
