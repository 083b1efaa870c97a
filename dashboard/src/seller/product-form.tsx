// Create or edit a product: fields with the server's errors, images uploaded through /media or
// typed in as URLs, and (when editing) the stock movements of the product.
import { useEffect, useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { t, when } from '../i18n';
import { href, navigate } from '../router';
import type { ScreenProps } from '../screens';
import {
  Busy,
  ErrorBox,
  Field,
  Notice,
  Page,
  Pager,
  SelectField,
  Table,
  TextField,
  useAction,
  useLoad,
  usePaged,
} from '../ui';
import { CATEGORIES, type Category } from './labels';
import { uploadImage } from './media';

type Product = Schemas['ProductResponse'];
interface Form {
  name: string;
  description: string;
  price: string;
  quantity: string;
  category: Category;
  images: string;
}
const EMPTY: Form = {
  name: '',
  description: '',
  price: '',
  quantity: '0',
  category: 'other',
  images: '',
};

function formOf(p: Product): Form {
  return {
    name: p.name,
    description: p.description,
    price: String(p.price),
    quantity: String(p.quantity),
    category: p.category,
    images: p.image_urls.join('\n'),
  };
}

/** A number typed by a person (`12 500,50`), or the text itself so the server names the field. */
function numberOf(text: string): number {
  const n = Number(text.replace(/\s/g, '').replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : (text as unknown as number);
}

function urlsOf(text: string): string[] {
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function SellerProductNew(_props: ScreenProps) {
  return <ProductForm />;
}

export function SellerProductEdit(props: ScreenProps) {
  const id = props.params.id;
  const product = useLoad(
    () => unwrap(api.GET('/api/v1/products/{id}', { params: { path: { id } } })),
    [id],
  );
  if (!product.data) {
    return (
      <Page title={t('nav.seller.product')}>
        {product.loading && <Busy />}
        <ErrorBox error={product.error} onRetry={product.reload} />
      </Page>
    );
  }
  return <ProductForm product={product.data} />;
}

function ProductForm(props: { product?: Product }) {
  const editing = props.product;
  const [form, setForm] = useState<Form>(editing ? formOf(editing) : EMPTY);
  const [saved, setSaved] = useState(false);
  const [movementsTick, setMovementsTick] = useState(0);
  useEffect(() => {
    if (props.product) setForm(formOf(props.product));
  }, [props.product]);
  const set = (key: keyof Form) => (value: string) => setForm({ ...form, [key]: value });

  const save = useAction(async () => {
    setSaved(false);
    const body = {
      name: form.name.trim(),
      description: form.description,
      price: numberOf(form.price),
      quantity: numberOf(form.quantity),
      category: form.category,
      image_urls: urlsOf(form.images),
    };
    if (editing) {
      const next = await unwrap(
        api.PUT('/api/v1/products/{id}', { params: { path: { id: editing.id } }, body }),
      );
      setForm(formOf(next));
      setSaved(true);
      setMovementsTick((n) => n + 1);
    } else {
      const created = await unwrap(api.POST('/api/v1/products', { body }));
      navigate(`/seller/products/${created.id}`, { created: 1 });
    }
  });
  const upload = useAction(async (file: File) => {
    const image = await uploadImage(file);
    setForm((f) => ({ ...f, images: [...urlsOf(f.images), image.url].join('\n') }));
  });
  const fields = save.fields;
  const urls = urlsOf(form.images);
  const justCreated = location.hash.includes('created=1');
  return (
    <Page
      title={editing ? editing.name : t('nav.seller.productNew')}
      actions={<a href={href('/seller/products')}>{t('common.back')}</a>}
    >
      {justCreated && !saved && <Notice>{t('seller.products.created')}</Notice>}
      <form
        class="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <div class="form-grid">
          <TextField
            label={t('seller.products.name')}
            value={form.name}
            onInput={set('name')}
            error={fields.name}
            required
          />
          <TextField
            label={t('seller.products.price')}
            inputMode="decimal"
            value={form.price}
            onInput={set('price')}
            error={fields.price}
            required
          />
          <TextField
            label={t('seller.products.quantity')}
            inputMode="numeric"
            value={form.quantity}
            onInput={set('quantity')}
            error={fields.quantity}
            hint={editing ? t('seller.products.stockHint') : undefined}
            required
          />
          <SelectField
            label={t('seller.products.category')}
            error={fields.category}
            value={form.category}
            onChange={set('category')}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`seller.category.${c}`) }))}
          />
        </div>
        <Field label={t('seller.products.description')} error={fields.description}>
          {(a) => (
            <textarea
              {...a}
              rows={4}
              value={form.description}
              onInput={(e) => set('description')((e.currentTarget as HTMLTextAreaElement).value)}
            />
          )}
        </Field>
        <h2>{t('seller.products.images')}</h2>
        {urls.length > 0 && (
          <ul class="thumbs">
            {urls.map((u, i) => (
              <li key={u}>
                <img
                  src={u}
                  alt={t('seller.products.imageAlt', { n: i + 1 })}
                  width={96}
                  height={96}
                />
                <button
                  type="button"
                  class="link"
                  onClick={() => set('images')(urls.filter((x) => x !== u).join('\n'))}
                >
                  {t('seller.products.removeImage', { n: i + 1 })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <Field
          label={t('seller.products.upload')}
          hint={t('seller.products.uploadHint')}
          error={upload.error?.message}
        >
          {(a) => (
            <input
              {...a}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              disabled={upload.busy}
              onChange={(e) => {
                const input = e.currentTarget as HTMLInputElement;
                const file = input.files?.[0];
                if (file) void upload.run(file).then(() => (input.value = ''));
              }}
            />
          )}
        </Field>
        {upload.busy && <Busy label={t('seller.products.uploading')} />}
        <Field
          label={t('seller.products.imageUrls')}
          hint={t('seller.products.imageUrlsHint')}
          error={
            fields.image_urls ??
            Object.entries(fields).find(([k]) => k.startsWith('image_urls.'))?.[1]
          }
        >
          {(a) => (
            <textarea
              {...a}
              rows={2}
              value={form.images}
              onInput={(e) => set('images')((e.currentTarget as HTMLTextAreaElement).value)}
            />
          )}
        </Field>
        <ErrorBox error={save.error} />
        {saved && <Notice>{t('seller.products.saved')}</Notice>}
        <div class="form-actions">
          {save.busy ? (
            <Busy label={t('common.saving')} />
          ) : (
            <button type="submit" class="primary" disabled={upload.busy}>
              {editing ? t('common.save') : t('common.create')}
            </button>
          )}
        </div>
      </form>
      {editing && <StockMovements productId={editing.id} tick={movementsTick} />}
    </Page>
  );
}

type Movement = Schemas['StockMovementResponse'];

function StockMovements(props: { productId: string; tick: number }) {
  const list = usePaged(
    (page) =>
      unwrap(
        api.GET('/api/v1/seller/products/{id}/stock-movements', {
          params: { path: { id: props.productId }, query: { page, page_size: 20 } },
        }),
      ),
    [props.productId, props.tick],
  );
  return (
    <section aria-labelledby="stock-title">
      <h2 id="stock-title">{t('seller.products.stock')}</h2>
      {list.loading && <Busy />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && (
        <Table<Movement>
          caption={t('seller.products.stock')}
          rowKey={(m) => m.id}
          rows={list.data.items}
          columns={[
            { label: t('common.date'), cell: (m) => when(m.created_at) },
            { label: t('seller.products.reason'), cell: (m) => t(`seller.movement.${m.reason}`) },
            {
              label: t('seller.products.delta'),
              num: true,
              cell: (m) => (m.delta > 0 ? `+${m.delta}` : String(m.delta)),
            },
          ]}
        />
      )}
      <Pager page={list.data} onPage={list.setPage} />
    </section>
  );
}
