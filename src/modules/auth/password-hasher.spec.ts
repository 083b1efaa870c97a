import { loadConfig } from '../../config/app-config';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(loadConfig({ NODE_ENV: 'test' }));

  it('hashes with cost 10 off the main thread and verifies', async () => {
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    await expect(hasher.verify('correct horse', hash)).resolves.toBe(true);
    await expect(hasher.verify('wrong horse', hash)).resolves.toBe(false);
    await expect(hasher.verifyDummy('anything')).resolves.toBe(false);
  });

  it('fails the jobs still waiting when it stops, instead of hanging them', async () => {
    const pending = hasher.hash('late password');
    await hasher.onModuleDestroy();
    await expect(pending).rejects.toThrow('stopped');
  });
});
