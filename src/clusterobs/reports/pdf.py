"""The PDF of a report's HTML (WeasyPrint, fonts DejaVu/Liberation), in this process or in a ``PdfWorker``.

WeasyPrint's first document in a process costs about 0.5 s of CPU more than the next ones (importing it, loading
its C libraries and fonts; ``warm_up``). A running process (the web's worker) pays it once. A one-shot command
(``clusterobs report …``) starts a ``PdfWorker`` as it starts: a child process that imports WeasyPrint and warms it
up on the second core while the parent builds the report and Chromium draws the charts, then turns the HTML it is
sent into the PDF. Should the worker fail, the PDF is written in this process (the same result, later).

This module imports nothing heavy, so that the worker starts quickly (``python -m clusterobs.reports.pdf``).
"""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import threading
from collections.abc import Mapping

from clusterobs.reports.timings import mark

log = logging.getLogger(__name__)

#: address -> (bytes, MIME type) of the images the HTML links to (``html.linked_images``)
Images = Mapping[str, tuple[bytes, str]]
#: seconds the worker may take for a PDF before it is stopped and the PDF written here
TIMEOUT = 600.0

_warm = False


def pdf_bytes(html: str, images: Images | None = None) -> bytes:
    """The PDF of ``html``; an ``<img src>`` found in ``images`` is read from there (``html.render_html(...,
    linked=True)``), any other address as WeasyPrint reads it."""
    import weasyprint

    def fetch(url: str, *args: object, **kwargs: object) -> dict:
        if images is not None and url in images:
            body, mime = images[url]
            return {"string": body, "mime_type": mime}
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return weasyprint.HTML(string=html, url_fetcher=fetch).write_pdf()


def warm_up() -> None:
    """Make WeasyPrint ready in this process (its first document), once."""
    global _warm
    if not _warm:
        pdf_bytes("<p>clusterobs</p>")
        _warm = True
        mark("warm")


class PdfWorker:
    """A child process (``python -m clusterobs.reports.pdf``) that warms WeasyPrint up as soon as it starts and
    writes one PDF: ``worker(html, images)`` returns its bytes. ``start`` may come later than the worker's creation
    and from another thread (the CLI starts it once Chromium is ready, so that the two do not share the second core
    while Chromium starts); a worker not started by the time its PDF is wanted starts then. ``close`` stops a worker
    that was not used."""

    def __init__(self, *, start: bool = True) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._used = False
        if start:
            self.start()

    def start(self) -> None:
        """Start the child process, unless it was started, used or closed."""
        with self._lock:
            if self.proc is not None or self._used:
                return
            try:
                self.proc = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            except OSError as exc:
                log.warning("the PDF worker could not start (%s): the PDF is written in this process", exc)

    def _take(self) -> subprocess.Popen[bytes] | None:
        with self._lock:
            proc, self.proc, self._used = self.proc, None, True
            return proc

    def __call__(self, html: str, images: Images | None = None) -> bytes:
        self.start()
        proc = self._take()
        if proc is not None:
            # the child is this program started by this process: the pickle goes from parent to child only
            payload = pickle.dumps((html, dict(images or {})), protocol=pickle.HIGHEST_PROTOCOL)
            try:
                out, err = proc.communicate(payload, timeout=TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as exc:
                _stop(proc)
                out, err = b"", str(exc).encode()
            if err:
                sys.stderr.write(err.decode("utf-8", "replace"))  # WeasyPrint's warnings, or why it failed
            if proc.returncode == 0 and out.startswith(b"%PDF"):
                return out
            log.warning("the PDF worker failed (exit status %s): the PDF is written in this process",
                        proc.returncode)
        return pdf_bytes(html, images)

    def close(self) -> None:
        proc = self._take()
        if proc is not None:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the worker: an empty request (it exits at once), else killed after 5 s."""
    try:
        proc.communicate(b"", timeout=5)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()


def main() -> None:
    """The worker: warm up, read ``(html, images)`` (pickled) from standard input, write the PDF to standard
    output; nothing when the input is empty (the parent did not need a PDF)."""
    warm_up()
    mark("worker ready")
    request = sys.stdin.buffer.read()
    if not request:
        return
    html, images = pickle.loads(request)  # from the parent process that started this one
    sys.stdout.buffer.write(pdf_bytes(html, images))
    sys.stdout.buffer.flush()
    mark("worker done")


if __name__ == "__main__":
    main()
