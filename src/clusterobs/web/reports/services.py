"""Reports on demand, cached on disk per dataset version: ``<CLUSTEROBS_HOME>/reports/<version>/<slug>.html|pdf``.

A report is generated once, in a background thread, and reused until a new dataset version is published (the
cache folder is per version). A request waits up to ``CLUSTEROBS_REPORT_WAIT`` seconds (default 25) for it; past
that it gets the "being generated" state and comes back later, so a worker is never blocked for the whole Panorama.
A failed generation is remembered with its error (shown with a reference) until the next request retries it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from clusterobs.errors import ReadError
from clusterobs.reports import (
    ReportData,
    ReportError,
    build_panorama,
    build_scorecard,
    build_trends,
    images,
    write_report,
)
from clusterobs.reports.chromium import BrowserStartError, ChromiumMissing
from clusterobs.reports.i18n import DEFAULT_LANGUAGE, LANGUAGES, LanguageError, check_language
from clusterobs.reports.render import start_drawing
from clusterobs.store import Store
from clusterobs.web import dataset

log = logging.getLogger("clusterobs.web.reports")

KINDS = ("panorama", "country", "region", "trends")
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@dataclass(frozen=True)
class ReportKey:
    kind: str  # panorama, country, region, trends (Europe's, or a country's with ``code``)
    code: str | None
    scheme: str
    year: int
    version: str
    #: the language of the report's text: the cache holds one file per language (``…_fr.pdf``)
    lang: str = DEFAULT_LANGUAGE

    @property
    def slug(self) -> str:
        tail = "" if self.lang == DEFAULT_LANGUAGE else f"_{self.lang}"
        if self.kind == "panorama":
            return f"panorama_{self.scheme}_{self.year}{tail}"
        if self.kind == "trends":  # the Cluster Trends report is named by the last year (``build_trends``)
            return f"trends_{self.code + '_' if self.code else ''}{self.scheme}_{self.year}{tail}"
        return f"{self.kind}_{self.code}_{self.scheme}_{self.year}{tail}"


@dataclass
class Job:
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None
    reference: str | None = None
    unavailable: bool = False  # Chromium missing or not starting: 503, the message says what to install


@dataclass(frozen=True)
class ReportState:
    key: ReportKey
    status: str  # ready, generating, failed, unavailable (Chromium missing or not starting: 503)
    error: str | None = None
    reference: str | None = None

    def path(self, fmt: str) -> Path:
        return cache_dir(self.key.version) / f"{self.key.slug}.{fmt}"


_jobs: dict[ReportKey, Job] = {}
_lock = threading.Lock()
_generate = threading.Lock()  # one report at a time: kaleido and WeasyPrint are CPU-bound


def cache_dir(version: str) -> Path:
    return Path(settings.CLUSTEROBS_HOME) / "reports" / version


def report_language(lang: str | None) -> str:
    """The language a report is written in for a request's language (``fr-be`` → ``fr``; others → English)."""
    base = (lang or DEFAULT_LANGUAGE).lower().split("-")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def report_key(kind: str, code: str | None = None, *, scheme: str = dataset.DEFAULT_SCHEME,
               year: int | None = None, lang: str = DEFAULT_LANGUAGE) -> ReportKey:
    """Check the request (unknown region → NotFound, bad scheme, year or language → BadParameter) and name the
    report."""
    try:
        lang = check_language(lang)
    except LanguageError as exc:
        raise dataset.BadParameter("lang", str(exc)) from exc
    obs = dataset.dataset(measures=True)
    if kind == "trends":  # over the years up to the latest: no year to choose
        year = None
    scheme, year = dataset.check_scheme(scheme), dataset.check_year(year)
    if kind == "region":
        region = dataset.region_get(code or "")
        if int(region["level"]) not in (0, 1, 2):
            raise dataset.BadParameter("code", f"`code` must be a NUTS region of level 0-2; got {code!r}.")
    elif kind == "country" or (kind == "trends" and code is not None):
        obs.country(code or "")
    return ReportKey(kind, code if kind != "panorama" else None, scheme, year, obs.version, lang)

def _build(key: ReportKey, home: Path) -> None:
    images.start()  # the process's browser (already running after the first report or image export)
    data = ReportData.open(Store(home), key.version)
    with contextlib.closing(data):
        if key.kind == "trends":
            report = build_trends(data, scheme=key.scheme, country=key.code, on_chart=start_drawing, lang=key.lang)
        elif key.kind == "region":
            report = build_scorecard(data, key.code or "", scheme=key.scheme, year=key.year,
                                     on_chart=start_drawing, lang=key.lang)
        else:
            report = build_panorama(data, scheme=key.scheme, year=key.year,
                                    country=key.code if key.kind == "country" else None, on_chart=start_drawing,
                                    lang=key.lang)
        write_report(report, cache_dir(key.version))


def _run(key: ReportKey, job: Job, home: Path) -> None:
    try:
        with _generate:
            _build(key, home)
    except (ChromiumMissing, BrowserStartError) as exc:  # no traceback: the message says what to do
        job.error, job.unavailable = str(exc), True
        log.error("report %s: %s", key.slug, exc)
    except (ReportError, ReadError, OSError, Exception) as exc:
        job.reference = uuid.uuid4().hex[:8]
        job.error = str(exc) if isinstance(exc, ReportError | ReadError) else "the report could not be generated"
        log.exception("report %s failed (ref %s)", key.slug, job.reference)
    finally:
        job.done.set()


def _failed(key: ReportKey, job: Job) -> ReportState:
    return ReportState(key, "unavailable" if job.unavailable else "failed", job.error, job.reference)


def report_get(key: ReportKey, *, wait: float | None = None) -> ReportState:
    """The report's state, starting its generation if it is neither cached nor under way."""
    pdf = cache_dir(key.version) / f"{key.slug}.pdf"
    if pdf.exists():
        return ReportState(key, "ready")
    with _lock:
        job = _jobs.get(key)
        if job is None or (job.done.is_set() and job.error is None and not pdf.exists()):
            job = Job()
            _jobs[key] = job
            home = Path(settings.CLUSTEROBS_HOME)
            threading.Thread(target=_run, args=(key, job, home), name=f"report-{key.slug}", daemon=True).start()
        elif job.done.is_set() and job.error is not None:
            _jobs.pop(key)  # the next request retries
            return _failed(key, job)
    job.done.wait(getattr(settings, "CLUSTEROBS_REPORT_WAIT", 25) if wait is None else wait)
    if pdf.exists():
        return ReportState(key, "ready")
    if job.done.is_set() and job.error is not None:
        return _failed(key, job)
    return ReportState(key, "generating")
