// Sales: revenue over the last 30 days (a chart with its figures for screen readers), the best
// products and the ones running out, from /seller/analytics.
import { useMemo, useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { money, t } from '../i18n';
import { href } from '../router';
import type { ScreenProps } from '../screens';
import { Busy, ErrorBox, LineChart, Page, SelectField, Stat, Table, useLoad } from '../ui';

type Period = 'day' | 'week' | 'month';
type Top = Schemas['ProductSales'];
type Product = Schemas['ProductResponse'];

export function SellerSales(_props: ScreenProps) {
  const [period, setPeriod] = useState<Period>('day');
  const report = useLoad(
    () => unwrap(api.GET('/api/v1/seller/analytics', { params: { query: { period } } })),
    [period],
  );
  const r = report.data;
  const chart = useMemo(() => {
    if (!r) return undefined;
    const values = r.series.map((p) => p.revenue);
    return {
      dates: r.series.map((p) => p.period_start),
      series: [{ label: t('seller.sales.revenue'), values, color: '#0b5fad' }],
      summary: t('seller.sales.chartSummary', {
        total: money(r.total_revenue),
        count: values.length,
        max: money(values.length ? Math.max(...values) : 0),
      }),
    };
  }, [r]);
  return (
    <Page title={t('nav.seller.sales')}>
      <div class="filters">
        <SelectField
          label={t('seller.sales.period')}
          value={period}
          onChange={(v) => setPeriod(v as Period)}
          options={(['day', 'week', 'month'] as const).map((p) => ({
            value: p,
            label: t(`seller.sales.period.${p}`),
          }))}
        />
      </div>
      {report.loading && <Busy />}
      <ErrorBox error={report.error} onRetry={report.reload} />
      {r && chart && (
        <>
          <div class="stats">
            <Stat label={t('seller.sales.revenue')} value={money(r.total_revenue)} />
            <Stat label={t('seller.sales.orders')} value={r.orders_count} />
            <Stat label={t('seller.sales.units')} value={r.units_sold} />
            <Stat label={t('seller.sales.average')} value={money(r.average_order_value)} />
          </div>
          <LineChart
            title={t('seller.sales.chart')}
            dates={chart.dates}
            series={chart.series}
            summary={chart.summary}
          />
          <h2>{t('seller.sales.top')}</h2>
          <Table<Top>
            caption={t('seller.sales.top')}
            rowKey={(p) => p.product_id}
            rows={r.top_products}
            columns={[
              {
                label: t('seller.products.name'),
                cell: (p) => <a href={href(`/seller/products/${p.product_id}`)}>{p.name}</a>,
              },
              { label: t('seller.sales.units'), num: true, cell: (p) => p.units_sold },
              { label: t('seller.sales.revenue'), num: true, cell: (p) => money(p.revenue) },
            ]}
          />
          <h2>{t('seller.sales.lowStock')}</h2>
          <Table<Product>
            caption={t('seller.sales.lowStock')}
            rowKey={(p) => p.id}
            rows={r.low_stock}
            columns={[
              {
                label: t('seller.products.name'),
                cell: (p) => <a href={href(`/seller/products/${p.id}`)}>{p.name}</a>,
              },
              { label: t('seller.products.quantity'), num: true, cell: (p) => p.quantity },
            ]}
          />
        </>
      )}
    </Page>
  );
}
