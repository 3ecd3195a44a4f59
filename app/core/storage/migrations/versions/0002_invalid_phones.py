"""Stored E.164 forms follow the one definition of an invalid phone.

Before, a number of the right length but of a form no number in its country has (a "possible"
but invalid number) kept an E.164 form, so the "Invalid phone" segment missed it while the card
warned of it. Now `to_e164` gives "" exactly when `phone_problem` finds a problem; this clears
the E.164 form of such numbers in every stored contact and drops them from the phone index.

Revision ID: 0002
Revises: 0001
"""

import json

import phonenumbers
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _valid(e164: str) -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(e164, None)))
    except phonenumbers.NumberParseException:
        return False


def upgrade() -> None:
    """Clear the E.164 form of every stored number that is not valid."""
    conn = op.get_bind()
    invalid = {
        e164
        for (e164,) in conn.exec_driver_sql("SELECT DISTINCT e164 FROM contact_phones")
        if not _valid(e164)
    }
    if not invalid:
        return
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT c.id, c.data FROM contacts c JOIN contact_phones p ON p.contact_id = c.id "
        f"WHERE p.e164 IN ({','.join('?' * len(invalid))})",
        tuple(invalid),
    ).all()
    for contact_id, text in rows:
        data = json.loads(text)
        for phone in data.get("phones", []):
            if phone.get("e164") in invalid:
                phone["e164"] = ""
        conn.exec_driver_sql(
            "UPDATE contacts SET data = ? WHERE id = ?",
            (json.dumps(data, ensure_ascii=False, separators=(",", ":")), contact_id),
        )
    conn.exec_driver_sql(
        f"DELETE FROM contact_phones WHERE e164 IN ({','.join('?' * len(invalid))})",
        tuple(invalid),
    )


def downgrade() -> None:
    """Nothing to undo: an invalid number's E.164 form is not needed by older Kith."""
