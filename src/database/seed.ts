import 'reflect-metadata';

import { AddressInfo } from 'node:net';

import { NestFactory } from '@nestjs/core';

import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { FinanceClock } from '../modules/finance/finance-clock';
import { OrderClock } from '../modules/orders/order-clock';
import { ProductAnalytics } from '../modules/products/product-analytics.service';
import { setupApp } from '../setup-app';
import { seedAdmin } from './seed-admin';
import { CATALOG, CUSTOMERS, PENDING_SELLER, SELLERS, SHOP_CITIES } from './seed-data';
import { SeedClocks, seedSellerMoney } from './seed-money';
import { demoLegalFields } from './seed-shops';

const PASSWORD = 'demo-password-1';

/**
 * `npm run seed`: fills an EMPTY database with a living store, through the service's own HTTP API
 * (so every rule, the stock ledger and the outbox apply): sellers with approved shops (valid demo
 * BINs and IBANs) and one shop waiting for review, a few hundred products, customers, orders in
 * several statuses, payments, product and seller reviews. Prints the demo accounts.
 *
 * Never a known admin password (seedAdmin). Refuses to run under NODE_ENV=production (the demo
 * accounts share a published password).
 */
async function main() {
  if (process.env.NODE_ENV === 'production') {
    console.error(
      'npm run seed refuses to run with NODE_ENV=production: it creates demo accounts.',
    );
    process.exit(1);
  }
  Object.assign(process.env, seedAdmin(process.env));
  process.env.LOG_REQUESTS = 'false';
  // the seed registers every demo account from this one address: the per-client sign-up limit
  // would stop it after RATE_LIMIT_REGISTER accounts (the seeding server lives only this run)
  process.env.RATE_LIMIT_REGISTER = '100000/1h';
  const config = loadConfig();
  const app = await NestFactory.create(AppModule, { bodyParser: false, logger: ['error', 'warn'] });
  setupApp(app, config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}/api/v1`;
  try {
    const { total } = await app.get(ProductAnalytics).counts();
    if (total > 0 && !process.argv.includes('--force')) {
      console.log('The database already has products: nothing seeded (use --force to add more).');
      return;
    }
    const clocks = { orders: app.get(OrderClock), finance: app.get(FinanceClock) };
    const holdMs = config.finance.payoutHoldSeconds * 1000;
    await seed(base, config.admin!.email, config.admin!.password, clocks, holdMs);
  } finally {
    await app.close();
  }
}

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return json;
}

async function account(
  base: string,
  email: string,
  first: string,
  last: string,
  role: 'customer' | 'seller',
) {
  try {
    await call(base, 'POST', '/auth/register', undefined, {
      email,
      password: PASSWORD,
      first_name: first,
      last_name: last,
      role,
    });
  } catch (e) {
    if (!String(e).includes('409')) throw e;
  }
  const res = await call(base, 'POST', '/auth/login', undefined, { email, password: PASSWORD });
  return { id: res.user.id as string, token: res.access_token as string, email };
}

let rnd = 42;
const random = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)];

async function seed(
  base: string,
  adminEmail: string,
  adminPassword: string,
  clocks: SeedClocks,
  holdMs: number,
) {
  const admin = await call(base, 'POST', '/auth/login', undefined, {
    email: adminEmail,
    password: adminPassword,
  }).catch((e: unknown) => {
    throw new Error(
      `cannot sign in as ${adminEmail} (${String(e)}): it exists with another password; ` +
        'set ADMIN_EMAIL and ADMIN_PASSWORD (or SEED_ADMIN_PASSWORD) to its credentials',
    );
  });
  const sellers = [];
  for (const s of SELLERS)
    sellers.push({ ...(await account(base, s.email, s.first, s.last, 'seller')), shop: s.shop });
  for (const [i, s] of sellers.entries()) {
    await openShop(base, s.token, s.shop, i);
    await call(base, 'PUT', `/admin/sellers/${s.id}/approve`, admin.access_token);
  }
  const pending = await account(
    base,
    PENDING_SELLER.email,
    PENDING_SELLER.first,
    PENDING_SELLER.last,
    'seller',
  );
  await openShop(base, pending.token, PENDING_SELLER.shop, sellers.length);
  const customers = [];
  for (const c of CUSTOMERS)
    customers.push(await account(base, c.email, c.first, c.last, 'customer'));

  const products: { id: string; seller: (typeof sellers)[number]; price: number }[] = [];
  for (const item of CATALOG) {
    const seller = sellers[products.length % sellers.length];
    const p = await call(base, 'POST', '/products', seller.token, {
      name: item.name,
      description: item.description,
      price: item.price,
      quantity: Math.floor(random() * 60) + (products.length % 17 === 0 ? 0 : 3),
      category: item.category,
      image_urls: [`https://cdn.bibarys.kz/demo/${item.category}/${products.length + 1}.jpg`],
    });
    products.push({ id: p.id, seller, price: item.price });
  }

  const flows = [
    'delivered',
    'delivered',
    'delivered',
    'shipped',
    'processing',
    'confirmed',
    'pending',
    'cancelled',
  ];
  let orders = 0;
  let reviews = 0;
  let sellerReviews = 0;
  for (let i = 0; i < 40; i++) {
    const customer = customers[i % customers.length];
    const lines = new Map<string, (typeof products)[number]>();
    for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
      const p = pick(products);
      lines.set(p.id, p);
    }
    try {
      for (const p of lines.values()) {
        await call(base, 'POST', '/cart/items', customer.token, {
          product_id: p.id,
          quantity: 1 + Math.floor(random() * 2),
        });
      }
      const order = await call(base, 'POST', '/orders', customer.token, {
        delivery_method: pick(['standard', 'express', 'same_day'] as const),
        delivery_address: `г. ${pick(['Алматы', 'Астана', 'Шымкент', 'Қарағанды', 'Ақтөбе'])}, ул. Абая, ${10 + i}`,
        phone: '+7701' + String(1000000 + i * 7919).slice(0, 7),
        comment: i % 3 === 0 ? 'Позвоните за час до доставки' : undefined,
      });
      orders++;
      const flow = flows[i % flows.length];
      if (flow === 'cancelled') {
        await call(base, 'PUT', `/orders/${order.id}/cancel`, customer.token);
        continue;
      }
      if (flow !== 'pending')
        await call(base, 'POST', '/payments', customer.token, {
          order_id: order.id,
          payment_method: 'card',
        });
      const path = ['processing', 'shipped', 'delivered'];
      for (const status of path.slice(0, path.indexOf(flow) + 1)) {
        await call(base, 'PUT', `/orders/${order.id}/status`, admin.access_token, {
          status,
          tracking_number: status === 'shipped' ? `KZP${100000 + i}` : undefined,
        });
      }
      if (flow === 'delivered') {
        for (const p of lines.values()) {
          try {
            await call(base, 'POST', '/reviews', customer.token, {
              product_id: p.id,
              rating: 3 + Math.floor(random() * 3),
              comment: pick([
                'Отличный товар, рекомендую!',
                'Өте жақсы, рахмет!',
                'Доставка быстрая, всё пришло целым.',
                'Нормально за свои деньги.',
              ]),
            });
            reviews++;
          } catch (e) {
            if (!String(e).includes('409')) throw e;
          }
        }
        for (const seller of new Set([...lines.values()].map((p) => p.seller))) {
          try {
            await call(base, 'POST', '/reviews', customer.token, {
              seller_id: seller.id,
              rating: 4 + Math.floor(random() * 2),
              comment: pick(['Надёжный продавец', 'Сенімді сатушы, рахмет!', 'Быстро отправили.']),
            });
            sellerReviews++;
          } catch (e) {
            if (!String(e).includes('409')) throw e; // reviewed this seller already
          }
        }
      }
    } catch (e) {
      if (!/→ 409/.test(String(e))) throw e; // sold out meanwhile: skip this order
      await call(base, 'DELETE', '/cart', customer.token);
    }
  }

  // the first seller's money: sales (some weeks old), a return, an available balance, a paid payout
  const money = await seedSellerMoney(
    (method, path, token, body) => call(base, method, path, token, body),
    clocks,
    { seller: sellers[0], buyers: customers.slice(0, 2), adminToken: admin.access_token, holdMs },
  );

  console.log(
    `Seeded ${sellers.length} sellers with approved shops (+1 waiting for review), ${customers.length} customers, ${products.length} products, ${orders} orders, ${reviews} product and ${sellerReviews} seller reviews.`,
  );
  console.log('\nDemo accounts (password for sellers and customers: ' + PASSWORD + '):');
  console.log(`  admin     ${adminEmail} / ${adminPassword}`);
  for (const s of sellers) console.log(`  seller    ${s.email}  (${s.shop})`);
  console.log(`  seller    ${pending.email}  (${PENDING_SELLER.shop}, waiting for review)`);
  for (const c of customers.slice(0, 3)) console.log(`  customer  ${c.email}`);
  console.log(
    `\n${sellers[0].email} (${sellers[0].shop}) has sales, a return and a paid payout: balance available ${money.available} ₸, pending ${money.pending} ₸, paid out ${money.paid_out} ₸ (GET /seller/balance, /seller/ledger, /seller/payouts).`,
  );
  console.log(
    '\nDashboard: start the server (npm start) and open /dashboard/ on it (http://localhost:8001/dashboard/ by default); sign in as the admin or a seller above.',
  );
}

/** Fills the seller's shop with the `n`-th demo legal and bank fields and submits it. */
async function openShop(base: string, token: string, name: string, n: number) {
  await call(base, 'PUT', '/seller/shop', token, {
    name,
    description: `${name}: демо-магазин Bibarys`,
    city: SHOP_CITIES[n % SHOP_CITIES.length],
    support_phone: `+7701${String(5550000 + n * 101).padStart(7, '0')}`,
    ...demoLegalFields(n),
  });
  await call(base, 'POST', '/seller/shop/submit', token);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
