"""Search and listing in SQLite: prefixes, accents, phone digits, tags, trash, sort orders."""

from faker import Faker

from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.core.storage.search import ListQuery, SortOrder, fts_query


def names(service: ContactService, query: ListQuery) -> list[str]:
    return [r.display_name for r in service.rows(service.ids(query))]


def seed(db: Database) -> ContactService:
    service = ContactService(db, "DE")
    people = [
        Contact(name=Name(given="Élodie", family="Dupré"), org="Zeta GmbH", tags=["vip"]),
        Contact(name=Name(given="Anna", family="Zimmer"), emails=[Email("anna@beta.example")]),
        Contact(name=Name(given="Bob", family="Adams"), phones=[Phone("030 9876543")]),
        Contact(org="Acme Ltd", notes="met at the Lisbon conference"),
    ]
    for person in people:
        service.add(person)
    return service


def test_prefix_search_ignores_case_and_accents(db: Database) -> None:
    service = seed(db)
    assert names(service, ListQuery("elo")) == ["Élodie Dupré"]
    assert names(service, ListQuery("DUPR")) == ["Élodie Dupré"]
    assert names(service, ListQuery("élodie zeta")) == ["Élodie Dupré"]
    assert names(service, ListQuery("beta")) == ["Anna Zimmer"]
    assert names(service, ListQuery("lisbon")) == ["Acme Ltd"]
    assert names(service, ListQuery("vip")) == ["Élodie Dupré"]


def test_phone_digits_are_searchable_as_typed_or_international(db: Database) -> None:
    service = seed(db)
    assert names(service, ListQuery("030987")) == ["Bob Adams"]
    assert names(service, ListQuery("4930987")) == ["Bob Adams"]


def test_fts_syntax_in_user_text_is_harmless(db: Database) -> None:
    service = seed(db)
    for text in ('"', "*", "AND OR NOT", "a:b", "(", "NEAR(", "-x", "^"):
        service.ids(ListQuery(text))  # must not raise
    assert fts_query("  ") is None
    assert names(service, ListQuery("!!!")) == []


def test_sort_orders_and_tag_and_trash(db: Database, fake: Faker) -> None:
    service = seed(db)
    assert names(service, ListQuery()) == ["Acme Ltd", "Anna Zimmer", "Bob Adams", "Élodie Dupré"]
    by_family = names(service, ListQuery(sort=SortOrder.LAST_FIRST))
    assert by_family == ["Acme Ltd", "Bob Adams", "Élodie Dupré", "Anna Zimmer"]
    assert names(service, ListQuery(sort=SortOrder.COMPANY))[:2] == ["Acme Ltd", "Élodie Dupré"]
    assert names(service, ListQuery(sort=SortOrder.DATE_ADDED))[0] == "Acme Ltd"
    assert names(service, ListQuery(tag="VIP")) == ["Élodie Dupré"]
    bob = service.ids(ListQuery("bob"))
    service.delete(bob)
    assert names(service, ListQuery(trash=True)) == ["Bob Adams"]
    assert service.count(ListQuery()) == 3
    assert names(service, ListQuery("bob")) == []


def test_an_edit_keeps_the_contact_in_its_import(db: Database) -> None:
    from app.core.clock import SYSTEM_CLOCK  # noqa: PLC0415
    from app.core.storage import contacts_repo, journal  # noqa: PLC0415

    with db.write() as conn:
        op = journal.begin_operation(conn, "import", "Import x.vcf", SYSTEM_CLOCK.now())
        (cid,) = contacts_repo.next_ids(conn, 1)
        contact = contacts_repo.prepare_new(
            Contact(name=Name(given="Imp")), cid, SYSTEM_CLOCK.now()
        )
        contacts_repo.insert_many(conn, [contact], import_op=op)
    service = ContactService(db, "US")
    stored = service.get(cid)
    assert stored is not None
    stored.notes = "edited"
    service.update(stored)
    assert service.ids(ListQuery(import_op=op)) == [cid]


def test_a_reader_does_not_block_a_writer(db: Database) -> None:
    service = ContactService(db, "US")
    with db.read() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar()
        service.add(Contact(name=Name(given="While reading")))  # would wait 5 s and fail if locked
    assert service.count(ListQuery()) == 1
