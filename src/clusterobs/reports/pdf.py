"""The PDF of a report's HTML (WeasyPrint, fonts DejaVu/Liberation), in this process or in a ``PdfWorker``.

WeasyPrint's first document in a process costs about 0.5 s of CPU more than the next ones (importing it, loading
its C libraries and fonts; ``warm_up``). A running process (the web's worker) pays it once. A one-shot command
(``clusterobs report …``) starts a ``PdfWorker`` as it starts: a child process that imports WeasyPrint and warms it
up on the second core while the parent builds the report, then writes the PDF of the HTML it is sent.

Laying the document out takes most of a PDF's time (1 s of the 1.4 s of a scorecard) and needs only the size of
each chart's image, which is known as soon as the chart is handed to Chromium. So the worker can lay the document
out, and paint its pages, while Chromium draws the charts (``PdfWorker.lay_out``): each image is then a stand-in of
the chart's size whose bytes WeasyPrint reads, when it writes the PDF file, from a file the worker fills with the
chart once it is drawn (WeasyPrint's URL fetcher protocol: an image's ``path`` is read when the PDF is written;
its ``finisher`` hook runs between painting and writing). The worker checks that
every chart has the size of its stand-in and that the PDF holds every chart's bytes; otherwise it lays the
document out again with the charts themselves. Should the worker fail, the PDF is written in this process (the
same result, later).

This module imports nothing heavy, so that the worker starts quickly (``python -m clusterobs.reports.pdf``).
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import pickle
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from clusterobs.reports.timings import mark

log = logging.getLogger(__name__)

#: address -> (bytes, MIME type) of the images the HTML links to (``html.linked_images``)
Images = Mapping[str, tuple[bytes, str]]
#: address -> (width, height) in pixels of the JPEG images the HTML links to (``html.linked_sizes``)
Sizes = Mapping[str, tuple[int, int]]
#: seconds the worker may take for a PDF before it is stopped and the PDF written here
TIMEOUT = 600.0

_warm = False


def _fetcher(images: Images | None, stand_ins: Mapping[str, dict[str, Any]] | None = None):
    import weasyprint

    def fetch(url: str, *args: object, **kwargs: object) -> dict:
        if stand_ins is not None and url in stand_ins:
            return stand_ins[url]
        if images is not None and url in images:
            body, mime = images[url]
            return {"string": body, "mime_type": mime}
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch


def pdf_bytes(html: str, images: Images | None = None) -> bytes:
    """The PDF of ``html``; an ``<img src>`` found in ``images`` is read from there (``html.render_html(...,
    linked=True)``), any other address as WeasyPrint reads it."""
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=_fetcher(images)).write_pdf()


def warm_up() -> None:
    """Make WeasyPrint ready in this process (its first document), once."""
    global _warm
    if not _warm:
        pdf_bytes("<p>clusterobs</p>")
        _warm = True
        mark("warm")


@contextlib.contextmanager
def libraries_from_the_loader_cache() -> Iterator[None]:
    """While WeasyPrint is imported (by the worker): ``ctypes.util.find_library`` answers from one reading of the
    dynamic loader's cache (``ldconfig -p``). WeasyPrint looks each of its six C libraries up under several names,
    most of which do not exist (``libpango-1.0-0``, ``pango-1.0-0``, then ``pango-1.0``): for each, the standard
    lookup runs ldconfig, then gcc and ld (0.2 s in all, 0.08 s of CPU in those processes, more under load). The same
    library is found: a name in the cache gives its soname as the standard lookup does; one not there is not found,
    and WeasyPrint then opens the library by its soname (``libpango-1.0.so.0``), as the loader finds it. Without
    ldconfig, the standard lookup."""
    import ctypes.util

    try:
        listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, timeout=10, check=False,
                                 env={"LC_ALL": "C", "LANG": "C"}).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        listing = ""
    sonames = [line.split()[0] for line in listing.splitlines()[1:] if line.startswith(("\t", " "))]
    if not sonames:
        yield
        return

    def find_library(name: str) -> str | None:
        pattern = re.compile(rf"lib{re.escape(name)}\.")
        return next((soname for soname in sonames if pattern.match(soname)), None)

    standard = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = standard


def stand_in_jpeg(width: int, height: int) -> bytes:
    """A JPEG whose header says ``width`` x ``height`` pixels (RGB), for laying a page out before the image exists:
    a small white JPEG with the size in its frame header (nothing decodes its pixels)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG")
    body = bytearray(out.getvalue())
    sof = body.index(b"\xff\xc0")  # baseline frame header: marker, length, precision, height, width
    body[sof + 5:sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(body)


class _Again(Exception):
    """The images that came differ from the stand-ins (or another HTML came): lay the document out again."""


class Layout:
    """A document laid out before its images exist (``PdfWorker.lay_out``, in the worker): each linked image is a
    stand-in of its size whose bytes are read from ``folder`` when the PDF is written."""

    def __init__(self, html: str, sizes: Sizes, folder: Path) -> None:
        import weasyprint

        self.html, self.sizes, self.folder = html, dict(sizes), folder
        self.paths = {url: folder / f"image-{n}.jpg" for n, url in enumerate(self.sizes)}
        stand_ins = {url: {"string": stand_in_jpeg(*size), "mime_type": "image/jpeg", "path": str(self.paths[url])}
                     for url, size in self.sizes.items()}
        self.document = weasyprint.HTML(string=html, url_fetcher=_fetcher(None, stand_ins)).render()

    def fill(self, images: Images) -> bool:
        """Write ``images`` where the PDF reads them; whether each is a JPEG of its stand-in's size."""
        from PIL import Image

        if not set(images) >= set(self.sizes):
            return False
        for url, path in self.paths.items():
            body, mime = images[url]
            with Image.open(io.BytesIO(body)) as image:
                if not (mime == "image/jpeg" and image.format == "JPEG" and image.mode == "RGB"
                        and image.size == tuple(self.sizes[url])):
                    return False
            path.write_bytes(body)
        return True

    def pdf(self, next_message: Callable[[], tuple | None]) -> bytes | None:
        """Paint the pages, then take the images (``next_message()``: ``("images", images)``) and write the PDF with
        them: only its last step, writing the file, waits for the images (WeasyPrint's ``finisher`` comes between).
        Laid out again with the images themselves when one differs from its stand-in, or for another HTML
        (``("again", html, images)``); None when the input closed (no PDF wanted)."""
        came: list[tuple | None] = []

        def finisher(document: Any, pdf: Any) -> None:
            mark("worker painted")
            came.append(next_message())
            message = came[0]
            if message is None or message[0] != "images" or not self.fill(message[1]):
                raise _Again

        try:
            out = self.document.write_pdf(finisher=finisher)
        except _Again:
            message = came[0] if came else None
            if message is None:
                return None
            html, images = (self.html, message[1]) if message[0] == "images" else (message[1], message[2])
            return pdf_bytes(html, images)
        images = came[0][1]  # type: ignore[index]
        if all(images[url][0] in out for url in self.sizes):  # each image as it is (JPEG: DCTDecode)
            return out
        log.warning("the PDF laid out before its images did not hold them: laid out again")
        return pdf_bytes(self.html, images)


class PdfWorker:
    """A child process (``python -m clusterobs.reports.pdf``) that warms WeasyPrint up as soon as it starts and
    writes one PDF: ``worker(html, images)`` returns its bytes; ``lay_out(html, sizes)`` first lays the document out
    while the images are drawn (then ``worker(html, images)`` with the same HTML only writes it). ``start`` may come
    later than the worker's creation and from another thread; a worker not started by the time its PDF is wanted
    starts then. ``close`` stops a worker that was not used."""

    def __init__(self, *, start: bool = True) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._used = False
        self._laid_out: str | None = None  # the HTML sent to lay out
        self._sending: threading.Thread | None = None
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

    def lay_out(self, html: str, sizes: Sizes) -> None:
        """Have the worker lay ``html`` out now, its images (``sizes``) to come with ``worker(html, images)``. The
        HTML is sent from a thread: this returns at once, even while the worker is still warming up."""
        self.start()
        with self._lock:
            proc = self.proc
            if proc is None or self._laid_out is not None:
                return
            self._laid_out = html
        # the child is this program started by this process: the pickle goes from parent to child only
        payload = pickle.dumps(("layout", html, dict(sizes)), protocol=pickle.HIGHEST_PROTOCOL)
        self._sending = threading.Thread(target=_send, args=(proc, payload), name="pdf-worker-send", daemon=True)
        self._sending.start()

    def __call__(self, html: str, images: Images | None = None) -> bytes:
        self.start()
        proc = self._take()
        if proc is not None:
            if self._sending is not None:
                self._sending.join()
            if self._laid_out is None:
                message: tuple = ("pdf", html, dict(images or {}))
            elif html == self._laid_out:
                message = ("images", dict(images or {}))
            else:  # not the HTML laid out: lay this one out
                message = ("again", html, dict(images or {}))
            payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                out, err = proc.communicate(payload, timeout=TIMEOUT)
            except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
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
            if self._sending is not None:
                self._sending.join(timeout=5)
            _stop(proc)


def _send(proc: subprocess.Popen[bytes], payload: bytes) -> None:
    """Write one message to the worker (it reads it once warm); a worker gone is found out by the PDF's wait."""
    try:
        assert proc.stdin is not None
        proc.stdin.write(payload)
        proc.stdin.flush()
    except (OSError, ValueError):
        pass


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the worker: its input closed (it exits at once), else killed after 5 s."""
    try:
        proc.communicate(b"", timeout=5)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()


def _read(stream: Any) -> tuple | None:
    """The next message from the parent, or None when its input is closed."""
    try:
        return pickle.load(stream)  # from the parent process that started this one
    except EOFError:
        return None


def main() -> None:
    """The worker: warm up, then read messages (pickled) from standard input and write the PDF to standard output:
    ``("pdf", html, images)``; or ``("layout", html, sizes)`` laid out at once, then ``("images", images)`` (or
    ``("again", html, images)`` for another HTML). Nothing when the input closes first (no PDF was needed)."""
    with libraries_from_the_loader_cache():
        import weasyprint  # noqa: F401
    warm_up()
    # one document and exit: no cycle collection (0.05 s of a scorecard), the warm modules out of its way
    gc.freeze()
    gc.disable()
    mark("worker ready")
    stdin = sys.stdin.buffer
    message = _read(stdin)
    if message is None:
        return
    if message[0] == "layout":
        _, html, sizes = message
        with tempfile.TemporaryDirectory(prefix="clusterobs-pdf-") as folder:
            layout = Layout(html, sizes, Path(folder))
            mark("worker laid out")
            pdf = layout.pdf(lambda: _read(stdin))
            if pdf is None:
                return
    else:
        pdf = pdf_bytes(message[1], message[2])
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    mark("worker done")


if __name__ == "__main__":
    main()
