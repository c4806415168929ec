"""The place search as pages and the API show it: what matched and why ("Toulouse → city in Midi-Pyrénées (FRJ2)"),
suggestions as one types, names in a comparison resolved to codes, and country names in the interface's language."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clusterobs.classifications.place_search import load_place_names
from clusterobs.web.labels import LEVEL_LABELS
from clusterobs.web.mapping import selectors


def why(r: Any) -> str:
    """Why a row of ``selectors.region_search`` matched, in a sentence."""
    values = {"matched": r.matched, "name": r.name, "code": r.code, "nuts3": r.nuts3}
    if r.via == "city":
        return _("%(matched)s → city in %(name)s (%(code)s)") % values
    if r.via == "exonym":
        return _("%(matched)s → another name of %(name)s (%(code)s)") % values
    if r.via == "nuts3":
        return _("%(matched)s → NUTS 3 region %(nuts3)s in %(name)s (%(code)s)") % values
    if r.via == "code":
        return _("NUTS code %(code)s") % values
    if r.matched != r.name:
        return _("%(matched)s → name of %(name)s (%(code)s)") % values
    return _("name of the region")


def search(text: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """The regions ``text`` names, best first, each with why it matched and its page."""
    found = selectors.region_search(text, limit=limit)
    return [{"code": r.code, "name": r.name, "level": int(r.level), "level_label": LEVEL_LABELS.get(int(r.level)),
             "country": r.country, "via": r.via, "matched": r.matched, "how": r.how,
             "nuts3": r.nuts3 if isinstance(r.nuts3, str) else None, "why": why(r),
             "national": r.name_national if r.name_national != r.name else "",
             "url": reverse("region", args=[r.code])} for r in found.itertuples()]


def resolve(text: str) -> tuple[str | None, list[dict[str, Any]]]:
    """``(code, candidates)``: the region a name or code stands for, else None and the regions to choose from."""
    code = text.strip().upper()
    if code in set(selectors.data().regions["code"]):
        return code, []
    found, _matches = selectors.place_index().resolve(text)
    if found is not None:
        return found, []
    return None, search(text, limit=8)


def country_names() -> dict[str, str]:
    """Country code → its name in the interface's language (the exonyms of ``place_names.csv``), else GISCO's."""
    lang = (get_language() or "en")[:2]
    regions = selectors.data().regions
    names = dict(zip(regions["code"], regions["name"], strict=True))
    places = load_place_names()
    own = places[(places["kind"] == "exonym") & (places["lang"] == lang) & (places["nuts_code"].str.len() == 2)]
    out = {c: names[c] for c in regions.loc[regions["level"] == 0, "code"]}
    for r in own.drop_duplicates("nuts_code").itertuples():
        if r.nuts_code in out:
            out[r.nuts_code] = r.name
    return out


def browse() -> list[dict[str, Any]]:
    """Countries (in the interface's language, alphabetically) with their NUTS 1 regions and those regions' NUTS 2
    regions, for the Regions page."""
    regions = selectors.data().regions
    no_data = set(selectors.no_data_regions(level=2)) if selectors.data().years else set()
    countries = country_names()
    by_parent: dict[str, pd.DataFrame] = dict(tuple(regions.groupby("parent")))
    out = []
    for code, name in sorted(countries.items(), key=lambda kv: kv[1].casefold()):
        majors = []
        for r1 in by_parent.get(code, regions.head(0)).itertuples():
            kids = by_parent.get(r1.code, regions.head(0))
            majors.append({"code": r1.code, "name": r1.name, "regions": [
                {"code": r.code, "name": r.name, "no_data": r.code in no_data} for r in kids.itertuples()]})
        out.append({"code": code, "name": name, "majors": majors,
                    "count": sum(len(m["regions"]) for m in majors)})
    return out
