"""The Stress Test in a real browser over ``clusterobs serve``: start for a region, answer in steps, leave half-way
and resume from the private link in a fresh browser session, let the background autosave keep answers across a
reload, finish, see the scores and the radar chart, and download the PDF holding the region's name and the scores.

The expected scores come from the engine (``clusterobs.assessment.score``) on the answers the test gave.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from clusterobs.assessment import bundled, load, score

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REGION, REGION_NAME = "DE11", "Stuttgart"


def choose(page, n: int, answers: dict[str, str]) -> None:
    """Tick an answer for every question of step ``n`` (a level that varies with question and step)."""
    for i, fs in enumerate(page.locator("form.assessment-step fieldset.question").all()):
        radios = fs.locator("input[type=radio]")
        if radios.count():
            radio = radios.nth((i + n) % radios.count())
            radio.check()
            answers[radio.get_attribute("name")] = radio.get_attribute("value")


def test_complete_resume_and_download_the_pdf(browser, server, context, page, tmp_path: Path):
    from pypdf import PdfReader

    stress = load(bundled()["stress_test"])
    answers: dict[str, str] = {}
    page.goto("/self-assessment/")
    page.get_by_role("link", name="Start: Stress Test for Cluster Policy").click()
    page.fill("#id_region", REGION)
    page.locator("form.assessment-start button[type=submit]").click()
    page.wait_for_url(re.compile(r"/self-assessment/a/[^/]+/step/1/$"))
    private_link = page.locator("#private-link").input_value()
    assert re.search(r"/self-assessment/a/[A-Za-z0-9_-]{43,}/$", private_link)

    for n in (1, 2, 3):  # half-way: three of seven steps
        choose(page, n, answers)
        page.locator('form.assessment-step button[value="next"]').click()
        page.wait_for_url(re.compile(rf"/step/{n + 1}/$"))

    # step 4: answer and type without submitting; the background autosave keeps it across a reload
    choose(page, 4, answers)
    page.fill("#id_em_comment", "Pilot lines <b>planned</b> for 2027")
    page.wait_for_function("document.querySelector('.autosave-status').textContent === 'Saved'")
    page.reload()
    assert page.locator("#id_em_comment").input_value() == "Pilot lines <b>planned</b> for 2027"
    for qid, value in answers.items():
        if qid.startswith("em_"):
            assert page.locator(f"input[name={qid}][value='{value}']").is_checked()

    # a new browser session (no cookies, no local storage) resumes from the private link
    fresh = browser.new_context(base_url=server.url, accept_downloads=True, locale="en-GB")
    resumed = fresh.new_page()
    resumed.goto(private_link)
    steps = resumed.locator("nav.steps li")
    assert [steps.nth(i).get_attribute("class") for i in range(4)] == ["done"] * 4
    resumed.locator("#finish a").click()
    resumed.wait_for_url(re.compile(r"/step/5/$"))
    for n in (5, 6, 7):
        choose(resumed, n, answers)
        resumed.locator('form.assessment-step button[value="next"]').click()
        resumed.wait_for_url(re.compile(rf"/step/{n + 1}/$" if n < 7 else r"/self-assessment/a/[^/]+/#finish$"))
    resumed.locator("#finish button[type=submit]").click()
    resumed.wait_for_url(re.compile(r"/result/$"))

    expected = score(stress, answers)
    overall = f"{expected.overall:.0f}"
    assert resumed.locator(".overall-score").inner_text() == overall
    table = resumed.locator("table.scores").inner_text()
    for d in expected.dimensions:
        assert re.search(rf"{re.escape(d.title)}.*\t{d.score:.0f}\b", table), (d.title, table)
    resumed.wait_for_selector("figure#chart-assessment-radar.drawn")
    assert "<b>planned</b>" in resumed.locator("dl.defs").inner_text()  # shown as text, not as markup

    with resumed.expect_download() as info:
        resumed.get_by_role("link", name="Result (PDF)").click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages)
    assert f"{REGION_NAME} ({REGION})" in text
    assert f"{overall} / 100" in text
    for d in expected.dimensions:
        assert f"{d.score:.0f}" in text
    fresh.close()
    assert not page.js_errors
