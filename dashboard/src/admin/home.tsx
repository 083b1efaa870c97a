// The platform at a glance: work waiting in the queues (linked to their screens), the platform's
// figures, the last 30 days' sales chart and money.
import { api, type Schemas } from '../api';
import { type MessageKey, money, t } from '../i18n';
import { href } from '../router';
import type { ScreenProps } from '../screens';
import { Busy, type Column, ErrorBox, LineChart, Page, Stat, Table, useLoad } from '../ui';
import { got } from './parts';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last 30 days, today included (dates as the API takes them). */
function last30Days(): { from: string; to: string } {
  const now = Date.now();
  return { from: isoDay(new Date(now - 29 * DAY_MS)), to: isoDay(new Date(now)) };
}

interface Queue {
  label: MessageKey;
  path: string;
  query: Record<string, string>;
  count: () => Promise<{ total: number }>;
}

const QUEUES: Queue[] = [
  {
    label: 'admin.home.queue.shops',
    path: '/admin/sellers',
    query: { status: 'pending_review' },
    count: () =>
      got(
        api.GET('/api/v1/admin/sellers', {
          params: { query: { status: 'pending_review', page_size: 1 } },
        }),
      ),
  },
  {
    label: 'admin.home.queue.returns',
    path: '/admin/returns',
    query: { status: 'escalated' },
    count: () =>
      got(api.GET('/api/v1/returns', { params: { query: { status: 'escalated', page_size: 1 } } })),
  },
  {
    label: 'admin.home.queue.payouts',
    path: '/admin/payouts',
    query: { status: 'pending' },
    count: () =>
      got(
        api.GET('/api/v1/admin/payouts', {
          params: { query: { status: 'pending', page_size: 1 } },
        }),
      ),
  },
  {
    label: 'admin.home.queue.refunds',
    path: '/admin/refunds',
    query: { status: 'pending' },
    count: () =>
      got(
        api.GET('/api/v1/admin/refunds', {
          params: { query: { status: 'pending', method: 'manual', page_size: 1 } },
        }),
      ),
  },
  {
    label: 'admin.home.queue.mail',
    path: '/admin/mail',
    query: { status: 'failed' },
    count: () =>
      got(api.GET('/api/v1/admin/mail', { params: { query: { status: 'failed', page_size: 1 } } })),
  },
];

const STATS = [
  'total_users',
  'active_users',
  'total_products',
  'active_products',
  'total_orders',
] as const;
const FINANCE = [
  'gmv',
  'commission_earned',
  'commission_vat',
  'refunds',
  'payouts_paid',
  'payouts_pending',
  'owed_to_sellers',
] as const;

export function AdminHome(_props: ScreenProps) {
  const range = last30Days();
  const queues = useLoad(() => Promise.all(QUEUES.map((q) => q.count().then((p) => p.total))), []);
  const dash = useLoad(() => got(api.GET('/api/v1/admin/dashboard')), []);
  const finance = useLoad(
    () => got(api.GET('/api/v1/admin/finance', { params: { query: range } })),
    [],
  );
  const sales = useLoad(
    () =>
      got(api.GET('/api/v1/analytics/sales', { params: { query: { ...range, period: 'day' } } })),
    [],
  );
  return (
    <Page title={t('nav.admin.home')}>
      <h2>{t('admin.home.queues')}</h2>
      <ErrorBox error={queues.error} onRetry={queues.reload} />
      <ul class="queues">
        {QUEUES.map((q, i) => (
          <li key={q.path}>
            <a href={href(q.path, q.query)}>
              <span class="queue-count">{queues.data ? queues.data[i] : '…'}</span>
              <span>{t(q.label)}</span>
            </a>
          </li>
        ))}
      </ul>

      <h2>{t('admin.home.stats')}</h2>
      <ErrorBox error={dash.error} onRetry={dash.reload} />
      {dash.loading && !dash.data && <Busy />}
      {dash.data && (
        <div class="stats">
          {STATS.map((k) => (
            <Stat key={k} label={t(`admin.stat.${k}`)} value={String(dash.data![k])} />
          ))}
          <Stat label={t('admin.stat.total_revenue')} value={money(dash.data.total_revenue)} />
        </div>
      )}

      <ErrorBox error={sales.error} onRetry={sales.reload} />
      {sales.data && <SalesChart report={sales.data} />}

      <h2>{t('admin.home.finance')}</h2>
      <ErrorBox error={finance.error} onRetry={finance.reload} />
      {finance.data && (
        <div class="stats">
          {FINANCE.map((k) => (
            <Stat key={k} label={t(`admin.finance.${k}`)} value={money(finance.data![k])} />
          ))}
        </div>
      )}

      {dash.data && dash.data.top_products.length > 0 && (
        <TopProducts rows={dash.data.top_products} />
      )}
    </Page>
  );
}

function SalesChart(props: { report: Schemas['SalesReport'] }) {
  const { report } = props;
  return (
    <LineChart
      title={t('admin.home.sales')}
      dates={report.series.map((p) => p.period_start)}
      series={[
        {
          label: t('admin.home.revenueSeries'),
          values: report.series.map((p) => p.revenue),
          color: '#0b5fad',
        },
      ]}
      summary={t('admin.home.salesSummary', {
        revenue: money(report.total_revenue),
        orders: report.orders_count,
      })}
    />
  );
}

function TopProducts(props: { rows: Schemas['ProductSales'][] }) {
  const columns: Column<Schemas['ProductSales']>[] = [
    { label: t('admin.home.product'), cell: (p) => p.name },
    { label: t('admin.home.units'), num: true, cell: (p) => p.units_sold },
    { label: t('admin.home.revenue'), num: true, cell: (p) => money(p.revenue) },
  ];
  return (
    <>
      <h2>{t('admin.home.topProducts')}</h2>
      <Table
        caption={t('admin.home.topProducts')}
        columns={columns}
        rows={props.rows}
        rowKey={(p) => p.product_id}
      />
    </>
  );
}
