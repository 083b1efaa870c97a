// Boots the built app on DATABASE_PATH, registers N accounts over HTTP (WAL pages for the
// checkpoint worker, welcome mails for the outbox), closes it and prints `closed`. Used by
// test/ops/shutdown: an app.close() that never returns lets the process end with exit 0 and no
// `closed` (an idle event loop), which is what an unref'd shutdown timer once did.
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', '..', 'dist');
const { NestFactory } = require('@nestjs/core');
const { AppModule } = require(join(dist, 'app.module'));
const { setupApp } = require(join(dist, 'setup-app'));
const { loadConfig } = require(join(dist, 'config', 'app-config'));

(async () => {
  const app = await NestFactory.create(AppModule, { bodyParser: false, logger: ['error'] });
  setupApp(app, loadConfig());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  for (let i = 0; i < Number(process.env.N ?? 10); i++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `close.${i}@example.kz`,
        password: 'password-123',
        first_name: 'Асель',
        last_name: 'Ахметова',
      }),
    });
    if (res.status !== 201) throw new Error(`register ${i}: ${res.status}`);
  }
  await app.close();
  console.log('closed');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
