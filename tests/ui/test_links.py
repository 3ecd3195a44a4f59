"""mailto: and tel: links from stored values carry no query, fragment or second address."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Email, Name, Phone
from app.ui.links import mailto_url, tel_url
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle
from tests.ui.test_detail_pane import open_contact

HOSTILE_EMAILS = [
    "a@b.example?attach=/etc/passwd",
    "a@b.example?body=hi&attach=%2Fetc%2Fpasswd",
    "a@b.example#x",
    "a@b.example,evil@attacker.example",
    "a%3Fattach=x@b.example",
]


@pytest.mark.parametrize("email", HOSTILE_EMAILS)
def test_a_mailto_never_has_a_query(email: str) -> None:
    url = mailto_url(email)
    if url is None:
        return  # refusing is safe too
    parsed = QUrl(url, QUrl.ParsingMode.StrictMode)
    assert parsed.isValid()
    assert parsed.scheme() == "mailto"
    assert not parsed.hasQuery() and not parsed.hasFragment()
    assert parsed.path(QUrl.ComponentFormattingOption.FullyDecoded) == email


def test_a_plain_mailto_stays_plain() -> None:
    assert mailto_url(" ann.o'neil+tag@example.org ") == "mailto:ann.o'neil+tag@example.org"


@pytest.mark.parametrize(
    ("phone", "url"),
    [
        ("+44 20 7102 6676", "tel:+442071026676"),
        ("(020) 7102-6676", "tel:02071026676"),
        ("+1 555 0100?x=1", None),
        ("+1 555 0100;ext=1#", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_tel_keeps_only_what_a_dialler_dials(phone: str, url: str | None) -> None:
    assert tel_url(phone) == url


def test_the_card_opens_safe_links_and_refuses_others(
    qtbot: QtBot, window: MainWindow, opened_urls: list[str]
) -> None:
    change = window.ctx.contacts.add(
        Contact(
            name=Name(given="Mal"),
            emails=[Email("mal@example.org")],
            phones=[Phone("+44 20 7102 6676")],
        )
    )
    window.ctx.hub.publish(change)
    wait_idle(qtbot, window)
    open_contact(qtbot, window, change.added[0])
    form = window.detail.form
    row = form.emails.rows[0]
    row.parts["value"].setText("mal@example.org?attach=/etc/passwd")
    assert row.open is not None
    qtbot.mouseClick(row.open, Qt.MouseButton.LeftButton)
    phone = form.phones.rows[0]
    phone.parts["value"].setText("+44 20 7102 6676?x")
    assert phone.open is not None
    qtbot.mouseClick(phone.open, Qt.MouseButton.LeftButton)
    assert all("?" not in url for url in opened_urls)
    assert "cannot be opened" in window.detail.message.text()
