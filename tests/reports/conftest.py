"""Reports rendered once per session from the real computed store (the ``computed`` fixture)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from clusterobs.reports import ReportData, build_panorama, build_scorecard, write_report

REGION = "DE21"


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of whitespace collapsed to one space."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture(scope="session")
def report_data(computed):
    store, _ = computed
    data = ReportData.open(store)
    yield data
    data.close()


@pytest.fixture(scope="session")
def scorecard(report_data, tmp_path_factory):
    report = build_scorecard(report_data, REGION)
    out = write_report(report, tmp_path_factory.mktemp("scorecard"))
    return report, out


@pytest.fixture(scope="session")
def panorama(report_data, tmp_path_factory):
    report = build_panorama(report_data)
    out = write_report(report, tmp_path_factory.mktemp("panorama"))
    return report, out


@pytest.fixture(scope="session")
def panoramas_de(report_data, tmp_path_factory):
    """Germany's Panorama in English (built only) and in French (HTML and PDF): quicker than Europe's."""
    en = build_panorama(report_data, country="DE")
    fr = build_panorama(report_data, country="DE", lang="fr")
    return en, fr, write_report(fr, tmp_path_factory.mktemp("panorama_fr"))
