import { deflateSync } from 'node:zlib';

import type { Page } from 'playwright-core';

import type { ServerProcess } from '../../support/server-process';
import { apiUser, SERVER_ADMIN } from './server';

// What the browser tests set up through the API because the screens under test cannot: a buyer's
// order and payment, a return request, and the admin's approval of a shop for the seller spec
// (issue 19's story approves through the admin screens: support/admin-steps.ts).

type Server = ServerProcess;

function ok<T = any>(
  what: string,
  res: { status: number; body: any },
  status: number | number[] = [200, 201],
): T {
  const want = Array.isArray(status) ? status : [status];
  if (!want.includes(res.status)) {
    throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as T;
}

/** A call of `/api/v1<path>` that must succeed (below 300): its body. */
export async function apiCall(
  server: Server,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<any> {
  const res = await server.request(method, `/api/v1${path}`, { token, body });
  if (res.status >= 300) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** A shop that passes every check (BIN 971240001315 is a valid TOO BIN; the IBAN is mod-97 valid). */
export const VALID_SHOP = {
  name: 'Дала Тойс',
  legal_form: 'too',
  bin_iin: '971240001315',
  iban: 'KZ86125KZT5004100100',
  bik: 'CASPKZKA',
  kbe: '17',
};

export async function adminToken(server: Server): Promise<string> {
  const login = await server.request('POST', '/api/v1/auth/login', { body: SERVER_ADMIN });
  return ok<{ access_token: string }>('admin login', login).access_token;
}

/** The admin approves the seller's shop through the API (set-up for the seller's screens). */
export async function adminApproves(server: Server, sellerId: string): Promise<void> {
  const token = await adminToken(server);
  ok(
    'approve shop',
    await server.request('PUT', `/api/v1/admin/sellers/${sellerId}/approve`, { token }),
  );
}

export async function userId(server: Server, token: string): Promise<string> {
  return ok<{ id: string }>('me', await server.request('GET', '/api/v1/auth/me', { token })).id;
}

/** A product of the seller, created through the API. */
export async function apiProduct(
  server: Server,
  sellerToken: string,
  body: { name: string; price: number; quantity: number; category?: string },
): Promise<{ id: string }> {
  return ok(
    'create product',
    await server.request('POST', '/api/v1/products', {
      token: sellerToken,
      body: { description: 'Тестовый товар', category: 'toys', ...body },
    }),
    201,
  );
}

/** A buyer puts `quantity` of the product in the cart, checks out and pays by card. */
export async function buyerOrdersAndPays(
  server: Server,
  buyerToken: string,
  productId: string,
  quantity: number,
): Promise<{ id: string; tracking_number: string; items: { id: string }[] }> {
  ok(
    'add to cart',
    await server.request('POST', '/api/v1/cart/items', {
      token: buyerToken,
      body: { product_id: productId, quantity },
    }),
    201,
  );
  const order = ok<{ id: string; tracking_number: string; items: { id: string }[] }>(
    'checkout',
    await server.request('POST', '/api/v1/orders', {
      token: buyerToken,
      body: {
        delivery_method: 'standard',
        delivery_address: 'г. Алматы, пр. Абая 10, кв. 5',
        phone: '+77011234567',
      },
    }),
    201,
  );
  const payment = ok<{ status: string }>(
    'pay',
    await server.request('POST', '/api/v1/payments', {
      token: buyerToken,
      body: { order_id: order.id, payment_method: 'card' },
    }),
    201,
  );
  if (payment.status !== 'completed') throw new Error(`payment ${payment.status}`);
  return order;
}

/** The buyer asks to return `quantity` of an order line. */
export async function buyerReturns(
  server: Server,
  buyerToken: string,
  orderId: string,
  orderItemId: string,
  quantity: number,
): Promise<{ id: string }> {
  return ok(
    'return',
    await server.request('POST', '/api/v1/returns', {
      token: buyerToken,
      body: {
        order_id: orderId,
        items: [
          { order_item_id: orderItemId, quantity, reason: 'defective', comment: 'Не работает' },
        ],
      },
    }),
    201,
  );
}

export async function newBuyer(server: Server, email: string): Promise<string> {
  return apiUser(server, email, 'buyer-password-1');
}

/** The text of the error shown for the field labelled `label` (its aria-describedby error). */
export async function fieldError(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true });
  await page.waitForFunction(
    (el) => el?.getAttribute('aria-invalid') === 'true',
    await input.elementHandle(),
  );
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ');
  const errorId = ids.find((id) => id.endsWith('-error'));
  if (!errorId) throw new Error(`no error on ${label}`);
  return page.locator(`[id="${errorId}"]`).innerText();
}

/** `12 500 ₸` as the dashboard writes tenge (the same Intl format). */
export function tenge(amount: number): string {
  return new Intl.NumberFormat('ru-RU', {
    style: 'currency',
    currency: 'KZT',
    currencyDisplay: 'narrowSymbol',
    maximumFractionDigits: 2,
  }).format(amount);
}

/** A small real PNG (w×h, a colour gradient), for uploads. */
export function pngImage(w = 64, h = 48): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      row[1 + x * 3] = (x * 255) / w;
      row[2 + x * 3] = (y * 255) / h;
      row[3 + x * 3] = 160;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
