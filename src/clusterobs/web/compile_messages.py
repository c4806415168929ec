"""Compile the translations (``locale/<lang>/LC_MESSAGES/django.po`` → ``.mo``) with polib.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``; this needs only polib (a dev dependency), so the
``.mo`` files can be rebuilt anywhere and are committed beside the ``.po``. ``--check`` fails when a catalogue has
an untranslated or fuzzy entry, or when a ``.mo`` is out of date with its ``.po``.

    python -m clusterobs.web.compile_messages            # compile every catalogue
    python -m clusterobs.web.compile_messages --check    # verify, write nothing

The project's one catalogue, ``src/clusterobs/locale/<lang>/LC_MESSAGES/django.po``, holds the site's texts, the
chart texts shared by the site and the reports (``clusterobs.charts.specs``: ``%(name)s`` placeholders) and the
reports' own (``{name}`` placeholders for ``str.format``); Django reads it from ``LOCALE_PATHS``, the reports with
the standard ``gettext`` (``clusterobs.reports.i18n``). New strings (with
``DJANGO_SETTINGS_MODULE=clusterobs.web.settings``; ``-P`` keeps ``web/mapping/selectors.py`` from shadowing the
standard library's ``selectors``; the feature apps keep their own catalogues)::

    cd src/clusterobs && python -P -m django makemessages -l fr --no-location --keep-pot --ignore 'web/api*.py' \
        --ignore 'web/mapping/api*.py' \
        --ignore 'web/linkages/*' --ignore 'web/complexity/*' --ignore 'web/scoreboard/*' \
        --ignore 'web/assessments/*' --ignore 'web/registry/*' --ignore 'web/reports/*'

(xgettext's default keywords find the chart specs' ``t.gettext(…)`` and ``t.ngettext(…)``), and of a feature app,
into its own catalogue: ``cd src/clusterobs/web/<app> && mkdir -p locale && python -P -m django makemessages -l fr
--no-location``. Translate, then compile.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

#: the project's one catalogue (the site, the chart specs and the reports)
LOCALE = Path(__file__).resolve().parents[1] / "locale"
#: the feature apps' own catalogues (``web/<app>/locale``)
WEB = Path(__file__).resolve().parent


def catalogues(locale: Path = LOCALE) -> list[Path]:
    """The project's catalogue and each feature app's own (``web/<app>/locale``)."""
    return sorted([*locale.glob("*/LC_MESSAGES/django.po"), *WEB.glob("*/locale/*/LC_MESSAGES/django.po")])


def problems(po_path: Path) -> list[str]:
    """What keeps a catalogue from being complete: untranslated, fuzzy or obsolete-format entries."""
    po = polib.pofile(str(po_path))
    out = [f"{po_path}: untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    out += [f"{po_path}: fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    for e in po.translated_entries():
        if e.msgid_plural and not all(e.msgstr_plural.values()):
            out.append(f"{po_path}: plural form missing: {e.msgid!r}")
    return out


def compiled(po_path: Path) -> bytes:
    po = polib.pofile(str(po_path))
    mo = polib.MOFile(encoding="utf-8")
    mo.metadata = po.metadata
    for entry in po.translated_entries():
        mo.append(entry)
    out = po_path.with_suffix(".tmp.mo")
    mo.save(str(out))
    try:
        return out.read_bytes()
    finally:
        out.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify completeness and freshness, write nothing")
    args = parser.parse_args(argv)
    errors: list[str] = []
    for po_path in catalogues():
        errors += problems(po_path)
        mo_path = po_path.with_suffix(".mo")
        data = compiled(po_path)
        if args.check:
            if not mo_path.exists() or mo_path.read_bytes() != data:
                errors.append(f"{mo_path}: out of date; run python -m clusterobs.web.compile_messages")
        else:
            mo_path.write_bytes(data)
            print(f"{mo_path.relative_to(LOCALE.parent)}: {len(polib.mofile(str(mo_path)))} messages")
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
