"""Emergency, advice and crisis numbers by country, and which country a chat is in."""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.library.problems import Problem

# A language alone says little about a country (Spanish: Spain or Mexico?); these few are
# spoken mainly where one emergency number serves.
LANGUAGE_COUNTRY = {"de": "DE", "nl": "NL", "it": "IT"}


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    emergency: str
    advice: str
    crisis: str | None
    poison: str | None = None  # the public poison-information line, where there is one


@dataclass(frozen=True)
class Helplines:
    countries: Mapping[str, Country]
    default: tuple[str, ...]
    directory: str

    def for_chat(self, zone: str | None, language: str | None) -> tuple[Country | None,
                                                                        list[Country]]:
        """The chat's own country (None when unknown) and the others to list after it."""
        code = country_of_zone(zone) if zone else None
        if code not in self.countries and language:
            parts = language.replace("_", "-").split("-")
            code = parts[1].upper() if len(parts) > 1 else LANGUAGE_COUNTRY.get(parts[0].lower())
        here = self.countries.get(code or "")
        others = [self.countries[c] for c in self.default if c in self.countries and c != code]
        return here, others


@functools.cache
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from the zone.tab that the tzdata package ships."""
    text = ""
    try:
        text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        system = Path("/usr/share/zoneinfo/zone.tab")
        text = system.read_text() if system.is_file() else ""
    countries = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) >= 3:
                countries[fields[2]] = fields[0]
    return countries


def country_of_zone(zone: str) -> str | None:
    return _zone_countries().get(zone)


def load_helplines(path: Path, problems: list[Problem]) -> Helplines:
    name = path.name
    empty = Helplines({}, (), "")
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(name, "-", "file is missing"))
        return empty
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "-", f"not valid YAML: {' '.join(str(exc).split())}"))
        return empty
    raw = data.get("countries") if isinstance(data, dict) else None
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(name, "countries", "must be a non-empty mapping"))
        return empty
    countries = {}
    for code, entry in raw.items():
        if not isinstance(entry, dict):
            problems.append(Problem(name, f"countries.{code}", "must be a mapping"))
            continue
        missing = [k for k in ("name", "emergency", "advice") if not entry.get(k)]
        if missing:
            problems.append(Problem(name, f"countries.{code}", f"needs {', '.join(missing)}"))
            continue
        countries[str(code)] = Country(str(code), str(entry["name"]), str(entry["emergency"]),
                                       str(entry["advice"]),
                                       str(entry["crisis"]) if entry.get("crisis") else None,
                                       str(entry["poison"]) if entry.get("poison") else None)
    default = tuple(str(c) for c in data.get("default") or ())
    unknown = [c for c in default if c not in countries]
    if unknown or not default:
        problems.append(Problem(name, "default", f"must list known countries (not {unknown})"))
    return Helplines(countries, default, str(data.get("directory") or ""))
