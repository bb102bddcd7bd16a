"""A shared location turned into a time zone, offline. Only the zone's name leaves here: the
coordinates are never stored, logged or kept in a set-up's state."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

import tzfpy


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA time zone at a point, or None where no one's clock is set by one.

    The boundary data gives the open sea nautical zones ("Etc/GMT+2"): a person out there is
    better asked to type a city than given a zone with no daylight saving and no name they
    know. A point off the globe, or a zone this machine's tz database lacks, is None too.
    """
    if not (math.isfinite(latitude) and math.isfinite(longitude)
            and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    name = tzfpy.get_tz(longitude, latitude)
    if not name or name.startswith("Etc/"):
        return None
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None
    return name
