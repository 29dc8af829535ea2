/** `node drop-databases.js <admin url> <name>...`: drops the test databases, disconnecting whoever still uses them. */
import pg from "pg";

const [adminUrl, ...names] = process.argv.slice(2);
// The test runner loads every file under dist/test/: without arguments there is nothing to do.
if (adminUrl !== undefined && names.length > 0) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of names) {
      if (/^cairn_test_[0-9a-f]+$/.test(name)) await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.end();
  }
}
