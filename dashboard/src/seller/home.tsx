import { api, unwrap } from '../api';
import { money, t } from '../i18n';
import type { ScreenProps } from '../screens';
import { Busy, ErrorBox, Page, Stat, useLoad } from '../ui';

export function SellerHome(_props: ScreenProps) {
  const balance = useLoad(() => unwrap(api.GET('/api/v1/seller/balance')), []);
  return (
    <Page title={t('nav.seller.home')}>
      {balance.loading && <Busy />}
      <ErrorBox error={balance.error} onRetry={balance.reload} />
      {balance.data && (
        <div class="stats">
          <Stat
            label={t('common.amount')}
            value={money((balance.data as { available?: number }).available)}
          />
        </div>
      )}
    </Page>
  );
}
