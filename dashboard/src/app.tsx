import { useEffect, useState } from 'preact/hooks';

import { adminScreens } from './admin/routes';
import { api, client, onSessionChange, unwrap } from './api';
import { t } from './i18n';
import { Login } from './login';
import { href, match, navigate, useRoute } from './router';
import type { Role, Screen } from './screens';
import { sellerScreens } from './seller/routes';
import { Busy, ErrorBox, useLoad } from './ui';

const SCREENS: Screen[] = [...sellerScreens, ...adminScreens];

export function App() {
  const [signedIn, setSignedIn] = useState(client.session.current !== null);
  useEffect(() => onSessionChange(setSignedIn), []);
  if (!signedIn) return <Login onSignedIn={() => setSignedIn(true)} />;
  return <Shell />;
}

async function logOut(): Promise<void> {
  const refresh = client.session.current?.refresh_token;
  try {
    if (refresh) await api.POST('/api/v1/auth/logout', { body: { refresh_token: refresh } });
  } finally {
    client.forget();
  }
}

function Shell() {
  const route = useRoute();
  const me = useLoad(() => unwrap(api.GET('/api/v1/auth/me')), []);
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route.path]);
  if (me.loading && !me.data) return <Busy />;
  if (!me.data) return <ErrorBox error={me.error} onRetry={me.reload} />;
  const user = me.data;
  const role = user.role as Role | 'customer';
  if (role === 'customer') {
    return (
      <main id="main" class="login">
        <div class="card">
          <p>{t('app.notAllowed')}</p>
          <button type="button" onClick={() => void logOut()}>
            {t('app.logout')}
          </button>
        </div>
      </main>
    );
  }
  const mine = SCREENS.filter((s) => s.role === role);
  if (route.path === '/' || !route.path.startsWith(`/${role}`)) {
    navigate(`/${role}`);
    return null;
  }
  let found: { screen: Screen; params: Record<string, string> } | undefined;
  for (const screen of mine) {
    const params = match(screen.path, route.path);
    if (params) {
      found = { screen, params };
      break;
    }
  }
  const Current = found?.screen.component;
  return (
    <div class="shell">
      <Title text={found ? t(found.screen.title) : t('app.notFound')} />
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <header class="topbar">
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('app.menu')}
        </button>
        <span class="brand">Bibarys</span>
        <span class="who">{t('app.signedInAs', { email: user.email })}</span>
        <button type="button" onClick={() => void logOut()}>
          {t('app.logout')}
        </button>
      </header>
      <nav id="nav" class={`nav${menuOpen ? ' open' : ''}`} aria-label={t('app.menu')}>
        <ul>
          {mine
            .filter((s) => s.nav)
            .map((s) => (
              <li key={s.path}>
                <a href={href(s.path)} aria-current={found?.screen === s ? 'page' : undefined}>
                  {t(s.title)}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {Current && found ? (
          <Current params={found.params} query={route.query} me={user} />
        ) : (
          <section class="page">
            <h1>{t('app.notFound')}</h1>
            <a href={href(`/${role}`)}>{t('app.home')}</a>
          </section>
        )}
      </main>
    </div>
  );
}

function Title(props: { text: string }) {
  useEffect(() => {
    document.title = `${props.text} — ${t('app.title')}`;
  }, [props.text]);
  return null;
}
