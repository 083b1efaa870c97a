import { providerFaultSuite } from './support/provider-faults';

// (the PostgreSQL run is payment-provider.pg.e2e-spec.ts: entities read the driver at load time)
providerFaultSuite('sqlite');
