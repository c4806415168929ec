"""A minimal xlsx writer for the made-up workbooks of the download tests: shared strings, numbers, nothing else.

openpyxl's writer took about 8 s (idle machine) for the RIS sheet (65,676 rows), and openpyxl's read-only reader
twice as long on its output as on this one (it holds no styles, so no cell is checked for a date format). The cells
are what openpyxl's own writer stored: a text as a shared string, an ``int`` or ``float`` as a number (a ``float``
in its shortest round-trip form, which openpyxl's reader gives back as the same ``float``), ``None`` as no cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def column_letters(n: int) -> list[str]:
    """A, B, …, Z, AA, … for the first ``n`` columns."""
    out = []
    for i in range(1, n + 1):
        name = ""
        while i:
            i, rest = divmod(i - 1, 26)
            name = chr(65 + rest) + name
        out.append(name)
    return out


def _sheet(rows: Sequence[Sequence[object]], strings: dict[str, int]) -> str:
    letters = column_letters(max((len(r) for r in rows), default=1))
    out = [XML, f'<worksheet xmlns="{MAIN}"><sheetData>']
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                out.append(f'<c r="{letters[c]}{r}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out.append(f'<c r="{letters[c]}{r}"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"cell {letters[c]}{r}: {type(value).__name__} is not written")
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """The xlsx bytes of ``{sheet name: rows of cell values}``, sheets in that order."""
    strings: dict[str, int] = {}
    parts = {f"xl/worksheets/sheet{i}.xml": _sheet(rows, strings) for i, rows in enumerate(sheets.values(), start=1)}
    n = len(sheets)
    parts["xl/sharedStrings.xml"] = XML + f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">' \
        + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>"
    parts["xl/workbook.xml"] = XML + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>' + "".join(
        f"<sheet name={quoteattr(name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>" for i, name in enumerate(sheets, start=1)
    ) + "</sheets></workbook>"
    parts["xl/_rels/workbook.xml.rels"] = XML + f'<Relationships xmlns="{PKG_REL}">' + "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1)
    ) + f'<Relationship Id="rId{n + 1}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    parts["_rels/.rels"] = XML + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" ' \
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    overrides = [("/xl/workbook.xml", f"{TYPE}.sheet.main+xml"), ("/xl/sharedStrings.xml", f"{TYPE}.sharedStrings+xml"),
                 *((f"/xl/worksheets/sheet{i}.xml", f"{TYPE}.worksheet+xml") for i in range(1, n + 1))]
    parts["[Content_Types].xml"] = XML + f'<Types xmlns="{CONTENT_TYPES}">' \
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' \
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(
            f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides) + "</Types>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/sharedStrings.xml", *(f"xl/worksheets/sheet{i}.xml" for i in range(1, n + 1))):
            z.writestr(name, parts[name])
    return buf.getvalue()
