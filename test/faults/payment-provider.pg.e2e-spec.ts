// first: a private PostgreSQL cluster becomes DATABASE_URL before any entity file loads
import { privatePg } from './support/private-pg-env';
import { providerFaultSuite } from './support/provider-faults';

afterAll(() => {
  privatePg.destroy();
  delete process.env.DATABASE_URL;
});

providerFaultSuite('postgres');
