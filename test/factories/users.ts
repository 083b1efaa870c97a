import TestAgent from 'supertest/lib/agent';

import { ADMIN } from '../create-test-app';

export interface Actor {
  id: string;
  email: string;
  password: string;
  token: string;
  /** The refresh token of this login's session. */
  refreshToken: string;
  role: 'customer' | 'seller' | 'admin';
  auth: { Authorization: string };
}

let seq = 0;
export const uniqueEmail = (prefix = 'user') =>
  `${prefix}.${Date.now().toString(36)}.${++seq}.${Math.random().toString(36).slice(2, 6)}@example.kz`;

export async function login(
  http: TestAgent,
  email: string,
  password: string,
  userAgent?: string,
): Promise<Actor> {
  const req = http.post('/api/v1/auth/login');
  if (userAgent) req.set('User-Agent', userAgent);
  const res = await req.send({ email, password });
  if (res.status !== 200)
    throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user.id,
    email,
    password,
    token: res.body.access_token,
    refreshToken: res.body.refresh_token,
    role: res.body.user.role,
    auth: { Authorization: `Bearer ${res.body.access_token}` },
  };
}

/** Registers and logs in a new user of the given role (admin: the bootstrap admin). */
export async function makeUser(
  http: TestAgent,
  role: 'customer' | 'seller' | 'admin' = 'customer',
  overrides: Record<string, unknown> = {},
): Promise<Actor> {
  if (role === 'admin') return login(http, ADMIN.email, ADMIN.password);
  const body = {
    email: uniqueEmail(role),
    password: 'password-123',
    first_name: 'Асель',
    last_name: 'Ахметова',
    role,
    ...overrides,
  };
  const res = await http.post('/api/v1/auth/register').send(body);
  if (res.status !== 201)
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return login(http, body.email as string, body.password as string);
}
