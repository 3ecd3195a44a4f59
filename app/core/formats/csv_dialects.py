"""CSV header names of each dialect and language, and the Kith field each stands for.

Columns are mapped by name, never by position: Outlook sorts part of its columns by their
localised names, so the same column sits elsewhere in a German file. Names are compared by
`header_key`, which also makes U+FFFD-mangled umlauts match.
"""

from __future__ import annotations

import re
from typing import NamedTuple

KITH_FIELDS = (
    "given", "family", "middle", "prefix", "suffix", "nickname", "org", "department", "title",
    "email", "phone", "notes", "birthday", "anniversary", "tags", "url", "street", "city",
    "region", "postal_code", "country",
)  # fmt: skip


class Target(NamedTuple):
    """Where a column's text goes: a field, or one part of a numbered item (email, address)."""

    kind: str
    slot: str = ""
    part: str = "value"
    label: str = ""


def header_key(header: str) -> str:
    """The form headers are compared in: lower case, one space, non-ASCII letters as '?'."""
    text = " ".join(header.strip().strip("\ufeff").strip('"').lower().split())
    return "".join(ch if ch.isascii() else "?" for ch in text)


def _addr(label: str, names: dict[str, str]) -> dict[str, Target]:
    return {name: Target("address", label, part, label) for name, part in names.items()}


def _names(pairs: dict[str, Target | str]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for name, target in pairs.items():
        out[header_key(name)] = Target(target) if isinstance(target, str) else target
    return out


def _phones(pairs: dict[str, str]) -> dict[str, Target]:
    return {name: Target("phone", name, "value", label) for name, label in pairs.items()}


def _emails(*names: str) -> dict[str, Target]:
    return {name: Target("email", name) for name in names}


def _en_address(prefix: str, label: str) -> dict[str, Target]:
    return _addr(
        label,
        {
            f"{prefix} Street": "street",
            f"{prefix} Street 2": "street2",
            f"{prefix} Street 3": "street3",
            f"{prefix} Address": "address",
            f"{prefix} Address 2": "street2",
            f"{prefix} City": "city",
            f"{prefix} Town": "city",
            f"{prefix} State": "region",
            f"{prefix} County": "region",
            f"{prefix} Postal Code": "postal_code",
            f"{prefix} Post Code": "postal_code",
            f"{prefix} ZipCode": "postal_code",
            f"{prefix} Country": "country",
            f"{prefix} Country/Region": "country",
            f"{prefix} Address PO Box": "po_box",
        },
    )


_CUSTOM_EN: tuple[str, ...] = (
    "Spouse",
    "Children",
    "Assistant's Name",
    "Manager's Name",
    "Hobby",
    "Profession",
)
_CUSTOM_EN += ("Referred By", "Office Location", "User 1", "User 2", "User 3", "User 4")
_CUSTOM_EN += ("Custom 1", "Custom 2", "Custom 3", "Custom 4")

ENGLISH: dict[str, Target] = _names(
    {
        "First Name": "given",
        "First": "given",
        "Given Name": "given",
        "Middle Name": "middle",
        "Middle": "middle",
        "Additional Name": "middle",
        "Last Name": "family",
        "Last": "family",
        "Family Name": "family",
        "Surname": "family",
        "Suffix": "suffix",
        "Name Suffix": "suffix",
        "Name Prefix": "prefix",
        "Nickname": "nickname",
        "Name": "fullname",
        "Display Name": "fullname",
        "Full Name": "fullname",
        "Company": "org",
        "Organization": "org",
        "Organisation": "org",
        "Department": "department",
        "Organization Name": "org",
        "Organization Title": "title",
        "Organization Department": "department",
        "Job Title": "title",
        "Title": "title",
        "Birthday": "birthday",
        "Anniversary": "anniversary",
        "Birth Year": "birth_year",
        "Birth Month": "birth_month",
        "Birth Day": "birth_day",
        "Notes": "notes",
        "Comments": "notes",
        "Note": "notes",
        "Categories": "tags",
        "Category": "tags",
        "Group Membership": "labels",
        "Labels": "labels",
        "File As": "formatted_name",
        "Web Page": Target("url", "web", "value", ""),
        "Personal Web Page": Target("url", "personal", "value", "home"),
        "Personal Website": Target("url", "personal", "value", "home"),
        "Business Web Page": Target("url", "business", "value", "work"),
        "Business Website": Target("url", "business", "value", "work"),
        "Web Page 1": Target("url", "w1", "value", ""),
        "Web Page 2": Target("url", "w2", "value", ""),
        "Homepage": Target("url", "web", "value", ""),
        **_emails("E-mail Address", "E-mail 2 Address", "E-mail 3 Address", "Email", "E-mail"),
        **_emails("Primary Email", "Secondary Email", "Alternate Email 1", "Alternate Email 2"),
        **_emails("Email Address", "Section 1 - Email"),
        **_phones(
            {
                "Assistant's Phone": "assistant",
                "Business Fax": "work fax",
                "Business Phone": "work",
                "Business Phone 2": "work",
                "Callback": "callback",
                "Car Phone": "car",
                "Company Main Phone": "main",
                "Home Fax": "home fax",
                "Home Phone": "home",
                "Home Phone 2": "home",
                "ISDN": "isdn",
                "Mobile Phone": "mobile",
                "Other Fax": "fax",
                "Other Phone": "other",
                "Pager": "pager",
                "Primary Phone": "main",
                "Radio Phone": "radio",
                "TTY/TDD Phone": "tty",
                "Telex": "telex",
                "Work Phone": "work",
                "Fax Number": "fax",
                "Pager Number": "pager",
                "Mobile Number": "mobile",
                "Home": "home",
                "Work": "work",
                "Fax": "fax",
                "Mobile": "mobile",
                "Other": "other",
                "Primary": "main",
                "Section 1 - Phone": "",
                "Section 1 - Mobile": "mobile",
                "Section 1 - Pager": "pager",
                "Section 1 - Fax": "fax",
            }
        ),
        **_en_address("Business", "work"),
        **_en_address("Work", "work"),
        **_en_address("Home", "home"),
        **_en_address("Other", "other"),
        "Section 1 - Company": "org",
        "Section 1 - Title": "title",
        "Section 1 - Address": Target("address", "s1", "street", ""),
        **{name: Target(f"custom:{name}") for name in _CUSTOM_EN},
    }
)

_DE_ADDR = {
    "work": ("Straße geschäftlich", "Ort geschäftlich", "Region geschäftlich"),
    "home": ("Straße privat", "Ort privat", "Bundesland/Kanton privat"),
    "other": ("Weitere Straße", "Weiterer Ort", "Weiteres/r Bundesland/Kanton"),
}
GERMAN: dict[str, Target] = _names(
    {
        "Anrede": "prefix",
        "Vorname": "given",
        "Weitere Vornamen": "middle",
        "Nachname": "family",
        "Firma": "org",
        "Abteilung": "department",
        "Position": "title",
        "Berufsbezeichnung": "title",
        "Geburtstag": "birthday",
        "Jahrestag": "anniversary",
        "Kategorien": "tags",
        "Notizen": "notes",
        "Webseite": Target("url", "web"),
        "Homepage": Target("url", "web"),
        **_addr("work", {"Straße geschäftlich 2": "street2", "Straße geschäftlich 3": "street3"}),
        **_addr("work", {"Postleitzahl geschäftlich": "postal_code"}),
        **_addr("work", {"Land/Region geschäftlich": "country", "Postfach geschäftlich": "po_box"}),
        **_addr("home", {"Straße privat 2": "street2", "Straße privat 3": "street3"}),
        **_addr("home", {"Postleitzahl privat": "postal_code", "Land/Region privat": "country"}),
        **_addr("home", {"Postfach privat": "po_box"}),
        **_addr("other", {"Weitere Straße 2": "street2", "Weitere Postleitzahl": "postal_code"}),
        **_addr("other", {"Weiteres/e Land/Region": "country", "Weiteres Postfach": "po_box"}),
        **{
            name: Target("address", label, part, label)
            for label, names in _DE_ADDR.items()
            for name, part in zip(names, ("street", "city", "region"), strict=True)
        },
        **_addr("work", {"Arbeitsadresse Strasse": "street", "Arbeitsadresse Stadt": "city"}),
        **_addr("work", {"Arbeitsadresse PLZ": "postal_code", "Arbeitsadresse Land": "country"}),
        **_addr("home", {"Privatadresse Land": "country"}),
        **_addr("work", {"Arbeitsadresse Bundesland": "region"}),
        **_addr("other", {"Andere Adr. Strasse": "street", "Andere Adr. Stadt": "city"}),
        **_addr("other", {"Andere Adr. Bundesland": "region", "Andere Adr. PLZ": "postal_code"}),
        **_addr("other", {"Andere Adr. Land": "country"}),
        **_emails("E-Mail-Adresse", "E-Mail 2: Adresse", "E-Mail 3: Adresse", "E-Mail"),
        **_emails("Arbeit E-Mail", "Privat E-Mail", "Andere E-Mail"),
        **_phones(
            {
                "Telefon Assistent": "assistant",
                "Fax geschäftlich": "work fax",
                "Telefon geschäftlich": "work",
                "Telefon geschäftlich 2": "work",
                "Autotelefon": "car",
                "Telefon Firma": "main",
                "Fax privat": "home fax",
                "Telefon privat": "home",
                "Telefon privat 2": "home",
                "Telefon (privat)": "home",
                "Telefon (privat 2)": "home",
                "Mobiltelefon": "mobile",
                "Mobiltelefon 2": "mobile",
                "Weiteres Fax": "fax",
                "Weiteres Telefon": "other",
                "Haupttelefon": "main",
                "Arbeit Telefon": "work",
                "Privat Telefon": "home",
                "Hauptnummer": "main",
                "Pager Nummer": "pager",
                "Andere Telefonnummer": "other",
                "Arbeit Fax": "work fax",
                "Privat Fax": "home fax",
            }
        ),
        **{n: Target(f"custom:{n}") for n in ("Partner", "Kinder", "Hobby", "Beruf")},
    }
)

FRENCH: dict[str, Target] = _names(
    {
        "Titre": "prefix",
        "Prénom": "given",
        "Deuxième prénom": "middle",
        "Nom": "family",
        "Suffixe": "suffix",
        "Surnom": "nickname",
        "Société": "org",
        "Service": "department",
        "Profession": "title",
        "Anniversaire": "birthday",
        "Anniversaire de mariage ou fête": "anniversary",
        "Catégories": "tags",
        "Page Web": Target("url", "web"),
        **_emails("Adresse de messagerie", "Adresse de messagerie 2", "Adresse de messagerie 3"),
        **_phones(
            {
                "Téléphone de l'assistant(e)": "assistant",
                "Télécopie (bureau)": "work fax",
                "Téléphone (bureau)": "work",
                "Téléphone 2 (bureau)": "work",
                "Téléphone (voiture)": "car",
                "Télécopie (domicile)": "home fax",
                "Téléphone (domicile)": "home",
                "Téléphone 2 (domicile)": "home",
                "Tél. mobile": "mobile",
                "Télécopie (autre)": "fax",
                "Téléphone (autre)": "other",
                "Récepteur de radiomessagerie": "pager",
                "Téléphone principal": "main",
            }
        ),
        **{
            f"{base} ({where})": Target("address", label, part, label)
            for where, label in (("bureau", "work"), ("domicile", "home"), ("autre", "other"))
            for base, part in (
                ("Rue", "street"),
                ("Ville", "city"),
                ("Dép/Région", "region"),
                ("Code postal", "postal_code"),
                ("Pays/Région", "country"),
            )
        },
    }
)

SPANISH: dict[str, Target] = _names(
    {
        "Tratamiento": "prefix",
        "Nombre": "given",
        "Segundo nombre": "middle",
        "Apellidos": "family",
        "Sufijo": "suffix",
        "Organización": "org",
        "Compañía": "org",
        "Departamento": "department",
        "Puesto": "title",
        "Cumpleaños": "birthday",
        "Aniversario": "anniversary",
        "Categorías": "tags",
        "Notas": "notes",
        "Página Web": Target("url", "web"),
        **_emails("Dirección de correo electrónico", "Dirección de correo electrónico 2"),
        **_emails("Dirección de correo electrónico 3", "Dirección del correo electrónico 3"),
        **_phones(
            {
                "Teléfono del ayudante": "assistant",
                "Fax del trabajo": "work fax",
                "Teléfono del trabajo": "work",
                "Teléfono del trabajo 2": "work",
                "Teléfono del automóvil": "car",
                "Fax particular": "home fax",
                "Particular": "home",
                "Número de teléfono particular 2": "home",
                "Teléfono móvil": "mobile",
                "Otro fax": "fax",
                "Otro teléfono": "other",
                "Localizador": "pager",
                "Teléfono principal": "main",
            }
        ),
        **_addr(
            "work",
            {
                "Calle del trabajo": "street",
                "Ciudad de trabajo": "city",
                "Provincia o estado de trabajo": "region",
                "Código postal del trabajo": "postal_code",
                "País o región del trabajo": "country",
            },
        ),
        **_addr(
            "home",
            {
                "Calle del domicilio": "street",
                "Ciudad de residencia": "city",
                "Provincia o estado de residencia": "region",
                "Código postal de residencia": "postal_code",
                "País o región de residencia": "country",
            },
        ),
        **_addr(
            "other",
            {
                "Otra calle": "street",
                "Otra ciudad": "city",
                "Otra provincia o estado": "region",
                "Otro código postal": "postal_code",
                "Otro país o región": "country",
            },
        ),
    }
)

ALL_NAMES: dict[str, Target] = {**SPANISH, **FRENCH, **GERMAN, **ENGLISH}

_OUTLOOK_MARKERS = {
    header_key(name)
    for name in (
        "E-mail Address", "E-Mail-Adresse", "Adresse de messagerie",
        "Dirección de correo electrónico", "Business Phone", "Telefon geschäftlich",
        "Téléphone (bureau)", "Teléfono del trabajo", "Mobile Phone", "Mobiltelefon",
        "Tél. mobile", "Teléfono móvil", "Business Street", "Straße geschäftlich",
        "Rue (bureau)", "Calle del trabajo", "Home Street", "Straße privat", "Job Title",
    )
}  # fmt: skip


def dialect_of(headers: list[str]) -> str:
    """ "google-csv", "outlook-csv" or "csv" (anything else), from a CSV's header names."""
    keys = {header_key(h) for h in headers}
    if any(_GOOGLE.match(k) for k in keys) or {"given name", "family name"} <= keys:
        return "google-csv"
    if "primary email" not in keys and len(keys & _OUTLOOK_MARKERS) >= 2:
        return "outlook-csv"
    return "csv"


# Google numbers its repeated groups: "E-mail 2 - Value", "Address 1 - Street".
_GOOGLE = re.compile(
    r"^(e-mail|phone|address|website|event|custom field|relation|organization|im) (\d+) - (.+)$"
)
_GOOGLE_KIND = {"e-mail": "email", "website": "url", "custom field": "custom", "im": "ignore"}
_GOOGLE_PART = {"type": "label", "postal code": "postal_code", "po box": "po_box"}
_GOOGLE_PART |= {"extended address": "extended", "name": "org", "department": "department"}


LOCALISED = {"de": GERMAN, "fr": FRENCH, "es": SPANISH}
DAY_FIRST = frozenset(LOCALISED)  # these Outlooks write dates as 25/12/1982 or 25.12.1982


def header_language(headers: list[str]) -> str:
    """ "de", "fr" or "es" when the headers are a localised Outlook's, else "" (English)."""
    keys = {header_key(h) for h in headers}
    found = {lang: len(keys & (names.keys() - ENGLISH.keys())) for lang, names in LOCALISED.items()}
    best = max(found, key=lambda lang: found[lang])
    return best if found[best] >= 2 else ""


def target_for(header: str, language: str = "") -> Target | None:
    """The target of a header in any known dialect, or None.

    Args:
        header: the column name.
        language: the file's language ("de", "fr", "es"), whose names win where they differ
            from English ones (French Outlook's "Profession" is the job title).
    """
    key = header_key(header)
    if language and (found := LOCALISED[language].get(key)) is not None:
        return found
    if m := _GOOGLE.match(key):
        kind = _GOOGLE_KIND.get(m[1], m[1])
        part = _GOOGLE_PART.get(m[3], m[3].replace(" ", "_"))
        if kind == "organization":
            return Target(part) if part in ("org", "title", "department") else None
        return Target(kind, f"g{m[2]}", part, "")
    return ALL_NAMES.get(key)


def target_from_map(name: str, header: str) -> Target:
    """The target of a user's column-map entry (a Kith field name or "custom:NAME")."""
    if name.startswith("custom:"):
        return Target(name)
    if name in ("email", "phone", "url"):
        return Target(name, f"map:{header}")
    if name in ("street", "city", "region", "postal_code", "country"):
        return Target("address", "map", name)
    if name in KITH_FIELDS:
        return Target(name)
    raise ValueError(f"{name!r} is not a field Kith knows")
