"""Where ACLED codes an event whose text names a dateline, a district or only a region.

`places.py` resolves what a name refers to; these conventions then pick the
point an event is coded at: a dateline's region means its namesake town, a
district stands for its seat town (geo_precision 2), and a region named
alone for its seat town (geo_precision 3), as ACLED codes region-only events
at the provincial capital rather than at a centroid in open country.
"""
from __future__ import annotations

from typing import Any

from eventcoder.resolve.gazetteer import Candidate, Gazetteer
from eventcoder.resolve.places import as_town, without_kind_word
from eventcoder.vocab import Place

_ANY = object()


def largest_town(gazetteer: Gazetteer, name: str, country: Any = _ANY, admin1: Any = _ANY) -> Candidate | None:
    """The most populous town exactly named ``name``, in the given country and first-level region if any."""
    towns = [c for c in gazetteer.lookup(name) if c.feature_class == "P" and c.exact
             and (country is _ANY or c.country_code == country) and (admin1 is _ANY or c.admin1_name == admin1)]
    return max(towns, key=lambda c: c.population or 0, default=None)


def dateline_town(place: Place, gazetteer: Gazetteer | None = None) -> Place | None:
    """The town a dateline resolved to a region means ("OAXACA, Oaxaca -": Oaxaca city), or None."""
    if (place.feature_code or "").startswith("PPL") or not place.text:
        return None
    gazetteer = gazetteer or Gazetteer.open()
    return as_town(place, largest_town(gazetteer, place.text, place.country_code), gazetteer)


def district_seat(place: Place, gazetteer: Gazetteer | None = None) -> Place | None:
    """The namesake town of a district ("a village in Tsafe Local Government Area": Tsafe town), at precision 2
    as ACLED codes a place known only by its district; None when the district has no namesake town."""
    if place.feature_code != "ADM2" or not place.text:
        return None
    gazetteer = gazetteer or Gazetteer.open()
    seat = as_town(place, largest_town(gazetteer, without_kind_word(place.text), place.country_code, place.admin1),
                   gazetteer)
    if seat is not None:
        seat.geo_precision = 2
    return seat


def region_seat(place: Place, gazetteer: Gazetteer | None = None) -> Place | None:
    """A first-level region named alone ("in the Tillaberi region") coded at its seat town, geo_precision 3.

    The result keeps the region's feature code, so ranking still treats it as a region (a town named in the
    same sentence wins); None when the gazetteer knows no seat for the region.
    """
    if place.feature_code != "ADM1" or place.geonameid is None or not place.country_code:
        return None
    gazetteer = gazetteer or Gazetteer.open()
    region = gazetteer.get(place.geonameid)
    seat = gazetteer.admin1_seat(place.country_code, region.admin1_code) if region and region.admin1_code else None
    town = as_town(place, seat, gazetteer)
    if town is not None:
        town.feature_code, town.geo_precision = "ADM1", max(place.geo_precision, 3)
    return town
