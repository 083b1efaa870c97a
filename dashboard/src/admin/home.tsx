import { api, unwrap } from '../api';
import { t } from '../i18n';
import type { ScreenProps } from '../screens';
import { Busy, ErrorBox, Page, Stat, useLoad } from '../ui';

export function AdminHome(_props: ScreenProps) {
  const stats = useLoad(() => unwrap(api.GET('/api/v1/admin/stats')), []);
  return (
    <Page title={t('nav.admin.home')}>
      {stats.loading && <Busy />}
      <ErrorBox error={stats.error} onRetry={stats.reload} />
      {stats.data && (
        <div class="stats">
          {Object.entries(stats.data as Record<string, unknown>)
            .filter(([, v]) => typeof v === 'number')
            .map(([k, v]) => (
              <Stat key={k} label={k} value={String(v)} />
            ))}
        </div>
      )}
    </Page>
  );
}
