// The seller's home: the shop's status, the balance, and the queues of work with links to them.
import { api, unwrap } from '../api';
import { type MessageKey, t } from '../i18n';
import { href } from '../router';
import type { ScreenProps } from '../screens';
import { Busy, ErrorBox, Page, useLoad } from '../ui';
import type { OrderStatus, ReturnStatus } from './labels';
import { BalanceStats } from './money';
import { ShopStatusCard } from './shop';

/** The queues of work on the home screen: a list filtered by a status, counted. */
const QUEUES: {
  screen: '/seller/orders' | '/seller/returns';
  status: OrderStatus | ReturnStatus;
  text: MessageKey;
}[] = [
  { screen: '/seller/orders', status: 'confirmed', text: 'seller.home.toConfirm' },
  { screen: '/seller/orders', status: 'processing', text: 'seller.home.toShip' },
  { screen: '/seller/returns', status: 'requested', text: 'seller.home.toDecide' },
  { screen: '/seller/returns', status: 'approved', text: 'seller.home.toReceive' },
];

export function SellerHome(_props: ScreenProps) {
  const shop = useLoad(() => unwrap(api.GET('/api/v1/seller/shop')), []);
  const balance = useLoad(() => unwrap(api.GET('/api/v1/seller/balance')), []);
  const queues = useLoad(
    () =>
      Promise.all(
        QUEUES.map(async (queue) => {
          const query = { status: queue.status, page: 1, page_size: 1 } as const;
          const page =
            queue.screen === '/seller/orders'
              ? await unwrap(
                  api.GET('/api/v1/seller/orders', {
                    params: { query: { ...query, status: queue.status as OrderStatus } },
                  }),
                )
              : await unwrap(
                  api.GET('/api/v1/returns', {
                    params: { query: { ...query, status: queue.status as ReturnStatus } },
                  }),
                );
          return { ...queue, count: page.total };
        }),
      ),
    [],
  );
  const items = (queues.data ?? [])
    .filter((q) => q.count > 0)
    .map((q) => ({
      text: t(q.text, { count: q.count }),
      to: href(q.screen, { status: q.status }),
    }));
  const q = queues.data;
  return (
    <Page title={t('nav.seller.home')}>
      {shop.loading && !shop.data && <Busy />}
      <ErrorBox error={shop.error} onRetry={shop.reload} />
      {shop.data && <ShopStatusCard shop={shop.data} link />}
      <section aria-labelledby="queues-title" class="card">
        <h2 id="queues-title">{t('seller.home.queues')}</h2>
        {queues.loading && <Busy />}
        <ErrorBox error={queues.error} onRetry={queues.reload} />
        {q &&
          (items.length ? (
            <ul class="queues">
              {items.map((i) => (
                <li key={i.to}>
                  <a href={i.to}>{i.text}</a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="empty">{t('seller.home.allDone')}</p>
          ))}
      </section>
      <section aria-labelledby="home-balance-title">
        <h2 id="home-balance-title">{t('seller.money.balance')}</h2>
        {balance.loading && !balance.data && <Busy />}
        <ErrorBox error={balance.error} onRetry={balance.reload} />
        {balance.data && <BalanceStats balance={balance.data} short />}
        <a href={href('/seller/money')}>{t('seller.home.moneyLink')}</a>
      </section>
    </Page>
  );
}
