"""The ledger's rules, in the database itself.

PostgreSQL:
- a deferred constraint trigger checks, at COMMIT, that the legs of every transaction touched sum
  to zero per currency, whatever inserted them (the ORM, raw SQL, a bug);
- BEFORE UPDATE/DELETE triggers refuse to change or delete posted entries and transactions.
SQLite (make run's default) has no deferred triggers: UPDATE refusals, and a trigger that checks
the sum when a transaction's last declared leg (`leg_count`) arrives and refuses legs beyond it.
DELETE is not refused on SQLite: Django empties SQLite tables with DELETE (`flush`, transactional
tests), where PostgreSQL uses TRUNCATE, which row triggers do not see; foreign keys (PROTECT)
still stop deleting entries through the ORM's cascades. A transaction left with fewer legs than declared is not caught there;
`marketplace.ledger.post` (which checks the sum before inserting) and the admin's "ledger
balances" check cover that case on SQLite.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION marketplace_ledger_txn_balanced() RETURNS trigger AS $$
DECLARE
    bad RECORD;
BEGIN
    SELECT currency, SUM(amount_cents) AS total INTO bad
      FROM marketplace_ledgerentry
     WHERE transaction_id = NEW.transaction_id
     GROUP BY currency
    HAVING SUM(amount_cents) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: % % left over',
            NEW.transaction_id, bad.total, bad.currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER marketplace_ledger_balanced
    AFTER INSERT ON marketplace_ledgerentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_txn_balanced();

CREATE OR REPLACE FUNCTION marketplace_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER marketplace_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON marketplace_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_append_only();

CREATE TRIGGER marketplace_ledgertransaction_append_only
    BEFORE UPDATE OR DELETE ON marketplace_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_append_only();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_append_only ON marketplace_ledgertransaction;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_append_only ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledger_balanced ON marketplace_ledgerentry;
DROP FUNCTION IF EXISTS marketplace_ledger_append_only();
DROP FUNCTION IF EXISTS marketplace_ledger_txn_balanced();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER marketplace_ledgerentry_no_update BEFORE UPDATE ON marketplace_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE on marketplace_ledgerentry is refused'); END""",
    """CREATE TRIGGER marketplace_ledgertransaction_no_update BEFORE UPDATE ON marketplace_ledgertransaction
       BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE on marketplace_ledgertransaction is refused'); END""",
    """CREATE TRIGGER marketplace_ledger_balanced AFTER INSERT ON marketplace_ledgerentry
       BEGIN
         SELECT RAISE(ABORT, 'ledger transaction has more legs than it declared')
          WHERE (SELECT COUNT(*) FROM marketplace_ledgerentry WHERE transaction_id = NEW.transaction_id)
              > (SELECT leg_count FROM marketplace_ledgertransaction WHERE id = NEW.transaction_id);
         SELECT RAISE(ABORT, 'ledger transaction does not balance')
          WHERE (SELECT COUNT(*) FROM marketplace_ledgerentry WHERE transaction_id = NEW.transaction_id)
              = (SELECT leg_count FROM marketplace_ledgertransaction WHERE id = NEW.transaction_id)
            AND EXISTS (SELECT 1 FROM marketplace_ledgerentry WHERE transaction_id = NEW.transaction_id
                         GROUP BY currency HAVING SUM(amount_cents) <> 0);
       END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "marketplace_ledgerentry_no_update",
        "marketplace_ledgertransaction_no_update",
        "marketplace_ledger_balanced",
    )
]


def _run(schema_editor, statements) -> None:
    # Without parameters, so the '%' in RAISE's format strings is not taken for a placeholder.
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_FORWARD])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [PG_BACKWARD])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
