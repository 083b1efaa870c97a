import { useState } from 'preact/hooks';

import { ApiFailure, client, failureOf } from './api';
import { t } from './i18n';
import { ErrorBox, TextField, useAction } from './ui';

/** The sign-in screen: email and password through `POST /auth/login` (the client keeps the tokens). */
export function Login(props: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction(async () => {
    try {
      await client.logIn(email.trim(), password);
    } catch (e) {
      const err = e as { status?: number; body?: unknown };
      if (typeof err.status !== 'number') throw e;
      const failure = failureOf(new Response(null, { status: err.status }), err.body);
      if (err.status === 401) throw new ApiFailure(401, failure.code, {}, t('login.failed'));
      if (err.status === 429) {
        throw new ApiFailure(429, failure.code, {}, t('login.tooMany', { seconds: 60 }));
      }
      throw failure;
    }
  });
  return (
    <main id="main" class="login">
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await login.run()) props.onSignedIn();
        }}
      >
        <h1>{t('login.title')}</h1>
        <ErrorBox error={login.error} />
        <TextField
          label={t('login.email')}
          type="email"
          name="email"
          autocomplete="username"
          required
          value={email}
          onInput={setEmail}
          error={login.fields.email}
        />
        <TextField
          label={t('login.password')}
          type="password"
          name="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={setPassword}
          error={login.fields.password}
        />
        <button type="submit" class="primary" disabled={login.busy}>
          {login.busy ? t('common.loading') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
