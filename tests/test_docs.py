"""The documentation is tested: what the code and a real ingest have, docs/ must describe.

* every table of a real ingest has a section in docs/data-model.md listing exactly its columns and DuckDB types;
* every source module has a section in docs/sources.md, which quotes every quarantine reason and quirk of the ingest;
* docs/cli.md is the current output of the generator, and names every command and option;
* links between the pages resolve.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import re
from pathlib import Path

import clusterobs.sources
from clusterobs import docs_reference

DOCS = Path(__file__).resolve().parents[1] / "docs"
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)
_HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*$", re.M)
_COLUMN_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|", re.M)
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, str]:
    """``{heading text: body}`` for every ``##``/``###`` heading, a body running to the next such heading."""
    text = _FENCE.sub("", text)
    heads = list(_HEADING.finditer(text))
    out = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out[m.group(2)] = text[m.end():end]
    return out


def _named_sections(text: str) -> dict[str, str]:
    """Sections whose heading is one name in backticks: ``{name: body}``."""
    return {h.strip("`"): body for h, body in _sections(text).items() if re.fullmatch(r"`[^`]+`", h)}


def _store_columns(store, version: str) -> dict[str, list[tuple[str, str]]]:
    """``{table: [(column, DuckDB type), ...]}`` of one version, bookkeeping tables included."""
    with contextlib.closing(store.connect(version)) as con:
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "ORDER BY table_name, ordinal_position"
        ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


# ---- data model --------------------------------------------------------------------------------------------


def test_every_table_of_an_ingest_has_a_section_with_its_columns(computed):
    """The computed version holds the ingest's tables and the results of `clusterobs compute`."""
    store, summary = computed
    columns = _store_columns(store, summary.version)
    catalogue = set(store.tables(summary.version)["name"])
    assert catalogue | {"_tables", "_meta"} == set(columns), "the _tables catalogue and the DuckDB file disagree"
    sections = _named_sections(_text("data-model.md"))
    problems = []
    for table, cols in sorted(columns.items()):
        body = sections.get(table)
        if body is None:
            problems.append(f"table {table}: no '## `{table}`' or '### `{table}`' heading")
            continue
        documented = {name: dtype.strip('`"') for name, dtype in _COLUMN_ROW.findall(body)}
        for col, dtype in cols:
            if col not in documented:
                problems.append(f"table {table}: column `{col}` ({dtype}) is not in its column table")
            elif documented[col] != dtype.strip('"'):
                problems.append(f"table {table}: column `{col}` is {dtype} in the store, {documented[col]} in the docs")
        for col in sorted(set(documented) - {c for c, _ in cols}):
            problems.append(f"table {table}: documented column `{col}` does not exist")
    assert not problems, "docs/data-model.md is out of date:\n" + "\n".join(problems)


def test_data_model_documents_no_table_an_ingest_does_not_write(computed):
    store, summary = computed
    stale = sorted(set(_named_sections(_text("data-model.md"))) - set(_store_columns(store, summary.version)))
    assert not stale, f"docs/data-model.md has sections for tables an ingest does not write: {stale}"


# ---- sources -----------------------------------------------------------------------------------------------


def _source_ids() -> dict[str, str]:
    """``{META.id: module name}`` of every source module."""
    out = {}
    for info in pkgutil.iter_modules(clusterobs.sources.__path__):
        module = importlib.import_module(f"clusterobs.sources.{info.name}")
        meta = getattr(module, "META", None)
        if meta is not None:
            out[meta.id] = info.name
    return out


def test_every_source_module_has_a_section():
    ids = _source_ids()
    assert len(ids) >= 10
    sections = _named_sections(_text("sources.md"))
    missing = sorted(f"{sid} (clusterobs/sources/{mod}.py)" for sid, mod in ids.items() if sid not in sections)
    assert not missing, f"docs/sources.md has no '### `<id>`' section for: {', '.join(missing)}"


def test_every_quarantine_reason_and_quirk_of_an_ingest_is_quoted(ingested):
    store, summary = ingested
    text = _text("sources.md")
    reasons = set(store.table("quarantine", summary.version)["reason"])
    kinds = set(store.table("quirks", summary.version)["quirk"])
    missing = sorted(f"quarantine reason: {r}" for r in reasons if r not in text)
    missing += sorted(f"quirk: {k}" for k in kinds if k not in text)
    assert not missing, "docs/sources.md does not quote:\n" + "\n".join(missing)


# ---- CLI reference -----------------------------------------------------------------------------------------


def test_cli_reference_is_the_generated_one():
    current = docs_reference.render()
    assert _text("cli.md") == current, (
        "docs/cli.md differs from the CLI's current help; regenerate it with\n"
        f"    {docs_reference.REGENERATE}\nand commit the result"
    )


def test_every_cli_command_and_option_is_documented():
    sections = _named_sections(_text("cli.md"))
    problems = []
    commands = list(docs_reference.walk())
    assert {path for path, _c, _x in commands} >= {
        "clusterobs", "clusterobs ingest", "clusterobs info", "clusterobs quarantine", "clusterobs download",
        "clusterobs fetch-eurostat",
    }
    for path, command, ctx in commands:
        body = sections.get(path)
        if body is None:
            problems.append(f"command `{path}` has no section")
            continue
        for param in command.get_params(ctx):
            if param.param_type_name == "option":
                names = [*param.opts, *param.secondary_opts]
            else:
                names = [getattr(param, "metavar", None) or param.name]
            problems += [f"`{path}`: {name} is not documented" for name in names if name not in body]
    assert not problems, "\n".join(problems) + f"\nregenerate with: {docs_reference.REGENERATE}"


# ---- links -------------------------------------------------------------------------------------------------


def _anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings of a page (lower case, punctuation dropped, spaces to hyphens)."""
    seen: dict[str, int] = {}
    out = set()
    for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", _FENCE.sub("", text), re.M):
        slug = "".join(ch for ch in m.group(1).lower() if ch.isalnum() or ch in " -_").replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def test_links_between_pages_resolve():
    broken = []
    for page in sorted(DOCS.glob("*.md")):
        for target in _LINK.findall(_FENCE.sub("", page.read_text(encoding="utf-8"))):
            if "://" in target or target.startswith("mailto:"):
                continue
            file, _, anchor = target.partition("#")
            dest = DOCS / file if file else page
            if not dest.is_file():
                broken.append(f"{page.name}: {target} (no file {file})")
            elif anchor and anchor not in _anchors(dest.read_text(encoding="utf-8")):
                broken.append(f"{page.name}: {target} (no heading #{anchor} in {dest.name})")
    assert not broken, "broken links in docs/:\n" + "\n".join(broken)
