"""Realistic generated vCard 3.0 files (Faker; never a real person), for the benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

from faker import Faker

from app.core.domain.normalise import fold


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _pool(fake: Faker, make: str, size: int) -> list[str]:
    return [_esc(str(getattr(fake, make)()).replace("\n", ", ")) for _ in range(size)]


def write_vcards(path: Path, count: int, seed: int = 7) -> int:
    """Write `count` vCards to `path` (pools of Faker values keep it quick); returns bytes."""
    fake = Faker(["en_GB", "de_DE", "fr_FR"])
    Faker.seed(seed)
    rng = random.Random(seed)
    given, family = _pool(fake, "first_name", 500), _pool(fake, "last_name", 500)
    companies, jobs = _pool(fake, "company", 300), _pool(fake, "job", 200)
    streets, cities = _pool(fake, "street_address", 500), _pool(fake, "city", 300)
    postcodes = _pool(fake, "postcode", 300)
    with path.open("w", encoding="utf-8", newline="") as out:
        for n in range(count):
            g, f = rng.choice(given), rng.choice(family)
            email = f"{fold(g + '.' + f)}{n}@example.org".replace(" ", "")
            lines = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"N:{f};{g};;;",
                f"FN:{g} {f}",
                "ORG:" + rng.choice(companies),
                "TITLE:" + rng.choice(jobs),
                f"EMAIL;TYPE=INTERNET,WORK:{email}",
                f"TEL;TYPE=CELL:+44 7700 {rng.randrange(900000, 999999)}",
                f"TEL;TYPE=HOME:020 7946 {rng.randrange(1000, 9999)}",
                f"ADR;TYPE=HOME:;;{rng.choice(streets)};{rng.choice(cities)};;"
                f"{rng.choice(postcodes)};UK",
                f"BDAY:{rng.randrange(1950, 2005)}-{rng.randrange(1, 13):02d}-"
                f"{rng.randrange(1, 29):02d}",
                "NOTE:Met at " + rng.choice(companies),
                "CATEGORIES:clients,2024",
                "END:VCARD",
            ]
            out.write("\r\n".join(lines) + "\r\n")
    return path.stat().st_size
