// npm run db:migrate: applies pending migrations to the configured database (DATABASE_URL, or the
// embedded PGlite in DATA_DIR), recording them in _prisma_migrations like `prisma migrate deploy`.
import { getDatabase } from "../server/db";

const db = await getDatabase();
const applied = await db.migrate();
console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
await db.close();
