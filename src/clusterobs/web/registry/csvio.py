"""CSV export and import of organisation profiles (curators).

Import checks every row first (the same form as the site, plus the categories) and writes nothing unless every row
is valid: errors name the row (the file's line number, header = line 1), the column and the reason. A row with an
``id`` of an existing profile updates the columns given (a file of ``id`` and some columns is a partial update);
without, it creates a profile with no owner (``name`` and ``region`` then required).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from clusterobs.web.registry.forms import OrganisationForm
from clusterobs.web.registry.models import Organisation

COLUMNS = ["id", "name", "acronym", "region", "country", "categories", "keywords", "description", "website",
           "members_sme", "members_large", "members_research", "members_public", "management_fte", "label",
           "contact_name", "contact_email", "benchmark_url", "validated", "is_example", "created", "updated"]
IMPORTED = ["name", "acronym", "region", "categories", "keywords", "description", "website", "members_sme",
            "members_large", "members_research", "members_public", "management_fte", "label", "contact_name",
            "contact_email", "benchmark_url"]
REQUIRED = ["name", "region"]
MAX_ROWS = 10_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A cell safe to open in a spreadsheet: text starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def profiles_csv(qs=None) -> str:
    qs = (qs if qs is not None else Organisation.objects.all()).prefetch_related("categories").order_by("pk")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for o in qs:
        writer.writerow([_cell(v) for v in (
            o.pk, o.name, o.acronym, o.region, o.country, " ".join(c.slug for c in o.categories.all()), o.keywords,
            o.description, o.website, o.members_sme, o.members_large, o.members_research, o.members_public,
            o.management_fte, o.label, o.contact_name, o.contact_email, o.benchmark_url, int(o.is_validated),
            int(o.is_example), o.created.isoformat(), o.updated.isoformat())])
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] | None = None


def profiles_import(data: bytes) -> ImportResult:
    """Validate every row, then create/update all in one transaction; on any error, change nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ImportResult(errors=[f"the file is not UTF-8 (byte {exc.start}): save it as CSV UTF-8"])
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing and "id" not in header:
        return ImportResult(errors=[f"line 1: missing column(s) {', '.join(missing)}"])
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        return ImportResult(errors=[f"line 1: unknown column(s) {', '.join(unknown)} (known: {', '.join(COLUMNS)})"])
    errors: list[str] = []
    forms: list[tuple[int, OrganisationForm]] = []
    for n, row in enumerate(reader, start=2):
        if n - 1 > MAX_ROWS:
            errors.append(f"more than {MAX_ROWS} rows: split the file")
            break
        if None in row:
            errors.append(f"line {n}: more cells than columns")
            continue
        instance = None
        if (row.get("id") or "").strip():
            try:
                instance = Organisation.objects.get(pk=int(row["id"]))
            except (ValueError, Organisation.DoesNotExist):
                errors.append(f"line {n}, id: no profile with id {row['id']!r}")
                continue
        values = {k: (row.get(k) or "").strip() for k in IMPORTED if k in row}
        if instance is not None:  # a partial file keeps the other fields
            current = OrganisationForm(instance=instance).initial
            values = {**{k: current.get(k, "") for k in IMPORTED if k != "categories"},
                      "category_slugs": current.get("category_slugs", []), **values}
        for k in ("members_sme", "members_large", "members_research", "members_public", "management_fte"):
            values.setdefault(k, "0")
            values[k] = values[k] or "0"
        values.setdefault("label", "none")
        values["label"] = values["label"] or "none"
        if "categories" in values:
            values["category_slugs"] = values.pop("categories").split()
        form = OrganisationForm(data=values, instance=instance)
        if form.is_valid():
            forms.append((n, form))
        else:
            for field, errs in form.errors.items():
                column = "categories" if field == "category_slugs" else field
                errors.extend(f"line {n}, {column}: {e}" for e in errs)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult(errors=[])
    with transaction.atomic():
        for _n, form in forms:
            is_new = form.instance.pk is None
            obj = form.save()
            form.save_categories(obj)
            result.created += is_new
            result.updated += not is_new
    return result
