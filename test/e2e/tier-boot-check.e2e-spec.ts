import { Client } from 'pg';
import { createTestDatabase, startTestApp } from '../harness/test-app';

async function sql(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe('Boot check: ref_user_roles must match the code (e2e)', () => {
  it('refuses to start, naming the tier, when a tier row is missing', async () => {
    const database = await createTestDatabase();
    try {
      await sql(database.url, `DELETE FROM ref_user_roles WHERE role_name = 'user_pro'`);
      await expect(startTestApp({ database })).rejects.toThrow(
        /missing tier\(s\) in the database: user_pro/,
      );
    } finally {
      await database.drop();
    }
  });

  it('refuses to start, naming it, when the database has a tier the code does not know', async () => {
    const database = await createTestDatabase();
    try {
      await sql(database.url, `INSERT INTO ref_user_roles (role_name) VALUES ('system_admin')`);
      await expect(startTestApp({ database })).rejects.toThrow(/unknown to the code: system_admin/);
    } finally {
      await database.drop();
    }
  });

  it('starts when the table matches', async () => {
    const t = await startTestApp();
    await t.http().get('/health').expect(200);
    await t.close();
  });
});
