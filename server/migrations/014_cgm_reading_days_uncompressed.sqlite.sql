-- Nothing to do on SQLite: it never compresses a row (see the PostgreSQL variant).
SELECT 1;
