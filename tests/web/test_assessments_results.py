"""Results: the comparison appears from five other completed assessments on; a result keeps its version when
curators edit a newer one; the scoreboard's weaknesses only when its table exists."""

from __future__ import annotations

import duckdb
import pytest
from assessment_factories import completed
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import translation

from clusterobs.store.reads import VersionReads
from clusterobs.web.assessments import selectors, services
from clusterobs.web.assessments.admin import QuestionnaireVersionForm
from clusterobs.web.assessments.models import QuestionnaireVersion
from clusterobs.web.assessments.selectors import questionnaire_current

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("others", "shown"), [(4, False), (5, True)])
def test_comparison_needs_five_other_completed_assessments(others, shown):
    mine = completed(level="2")
    for level in ("0", "1", "3", "3", "1")[:others]:
        completed(level=level)
    services.assessment_start(version=questionnaire_current("stress_test"))  # not completed: never counted
    peer = selectors.assessment_comparison(mine)
    assert peer.n == others
    assert (peer.comparison is not None) is shown
    html = Client().get(f"/self-assessment/a/{mine.token}/result/").content.decode()
    assert ("Comparison: median" in html) is shown
    if shown:
        # peers' overall scores 0, 33.3, 100, 100, 33.3: median 33.3; mine 66.7 beats three of five: rank 60
        assert peer.comparison.overall.median == pytest.approx(100 / 3)
        assert peer.comparison.overall.rank == pytest.approx(60)
        assert "Compared with 5 other completed assessments" in html
    else:
        assert "No comparison yet" in html and "There are 4 so far." in html


def test_benchmark_compares_with_the_same_size_class_and_country_group():
    mine = completed("cluster_excellence")
    for _ in range(5):
        completed("cluster_excellence", size_class="large", country="DE", country_group="north_west")
        completed("cluster_excellence", size_class="small", country="IT", country_group="south")
    assert selectors.assessment_comparison(mine).comparison is None
    for level in ("0", "1", "2", "3", "3"):
        completed("cluster_excellence", level=level)  # small, north_west like mine
    peer = selectors.assessment_comparison(mine)
    assert peer.n == 5 and peer.comparison is not None
    assert "Small: fewer than 50 members" in peer.description and "Northern and Western Europe" in peer.description


def test_editing_a_newer_version_does_not_change_an_old_result():
    old = completed(level="2")
    before = (old.overall, dict(old.scores))
    v1 = questionnaire_current("stress_test")
    draft = services.questionnaire_version_copy(version=v1)
    assert draft.version == f"{v1.version}.1" and not draft.published
    edited = draft.source.replace("weight: 1.5\n    guidance: >-\n      Write the cluster policy",
                                  "weight: 5\n    guidance: >-\n      Write the cluster policy")
    edited = edited.replace("Start by stating the cluster policy's goals", "CHANGED guidance")
    assert edited != draft.source
    form = QuestionnaireVersionForm({"source": edited, "published": True}, instance=draft)
    assert form.is_valid(), form.errors
    form.save()
    assert questionnaire_current("stress_test").pk == draft.pk  # new respondents get the new version
    assert questionnaire_current("stress_test").questionnaire().dimension("strategy").weight == 5
    old.refresh_from_db()
    html = Client().get(f"/self-assessment/a/{old.token}/result/").content.decode()
    assert old.questionnaire_id == v1.pk and old.definition["version"] == v1.version
    assert (old.overall, old.scores) == before
    assert f"Questionnaire version {v1.version}" in html and "CHANGED guidance" not in html
    # and a version that has answers is frozen in the admin form of a curator
    new = completed(level="2")
    assert new.questionnaire_id == draft.pk and new.definition["dimensions"][0]["weight"] == 5


def test_admin_form_refuses_a_bad_definition_with_its_reason():
    v1 = questionnaire_current("stress_test")
    draft = services.questionnaire_version_copy(version=v1)
    form = QuestionnaireVersionForm({"source": draft.source.replace("scale: maturity", "scale: nope", 1)},
                                    instance=draft)
    assert not form.is_valid()
    assert "question st_strategy (strategy): unknown scale 'nope'" in form.errors["source"][0]
    clash = QuestionnaireVersionForm({"source": v1.source}, instance=draft)
    assert not clash.is_valid() and "exists already" in clash.errors["source"][0]


def test_curators_edit_versions_in_the_admin(django_user_model):
    curator = django_user_model.objects.create_user("cora", password="pw-cora-1", is_staff=True)
    curator.groups.add(Group.objects.get(name="curator"))
    v1 = questionnaire_current("stress_test")
    completed()  # v1 now has answers
    c = Client()
    c.force_login(curator)
    r = c.get(f"/admin/assessments/questionnaireversion/{v1.pk}/change/")
    assert r.status_code == 200
    assert 'name="source"' not in r.content.decode()  # frozen: only published can change
    r = c.post("/admin/assessments/questionnaireversion/", {"action": "new_version", "_selected_action": [v1.pk]})
    assert r.status_code == 302
    draft = QuestionnaireVersion.objects.get(key="stress_test", version=f"{v1.version}.1")
    r = c.get(f"/admin/assessments/questionnaireversion/{draft.pk}/change/")
    assert 'name="source"' in r.content.decode()
    assert c.get("/admin/assessments/assessment/").status_code == 403  # curators do not read answers
    assert Client().get("/admin/assessments/questionnaireversion/").status_code == 302  # anonymous: to login


def test_no_scoreboard_table_means_no_weaknesses_section(monkeypatch):
    monkeypatch.setattr(selectors, "SCOREBOARD_TABLE", "scoreboard_strengths_not_published")
    data = selectors.region_data("DE11")
    assert data["weaknesses"] is None
    assert data["starred"] and data["starred"][0]["stars"] >= data["starred"][-1]["stars"]


def test_scoreboard_weaknesses_come_from_the_published_scoreboard(web_store):
    """The computed dataset has the scoreboard: DE11's weaknesses are its rows of kind "weakness", worst first,
    named from the indicator registry."""
    expected = web_store.table("scoreboard_strengths")
    expected = expected[(expected["region"] == "DE11") & (expected["kind"] == "weakness")]
    names = web_store.table("scoreboard_indicators").set_index("id")["name"]
    rows = selectors.region_data("DE11")["weaknesses"]
    assert rows, "DE11 has scoreboard weaknesses in the computed data"
    worst = expected.sort_values(["vs_europe", "indicator"]).head(len(rows))
    assert [r["indicator"] for r in rows] == list(worst["indicator"])
    assert [r["indicator_name"] for r in rows] == [names[i] for i in worst["indicator"]]
    assert all(r["vs_europe"] <= rows[-1]["vs_europe"] for r in rows)


class FakeObservatory(VersionReads):
    """The read layer over an in-memory DuckDB holding only the tables a test creates."""

    def __init__(self, con):
        self._con = con
        self.tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}

    def con(self):
        return self._con


def test_scoreboard_weaknesses_when_the_table_exists():
    con = duckdb.connect()
    con.execute("CREATE TABLE scoreboard_strengths (region VARCHAR, indicator VARCHAR, value DOUBLE, europe DOUBLE, "
                "peers_mean DOUBLE, vs_europe DOUBLE, vs_peers DOUBLE, kind VARCHAR)")
    con.execute("INSERT INTO scoreboard_strengths VALUES ('DE11', 'rd_business', 3.1, 1.5, 2.0, 2.1, 1.5, "
                "'strength'), ('DE11', 'tertiary', 25, 33, 30, 0.76, 0.83, 'weakness'), ('DE11', 'broadband', 80, "
                "90, 85, 0.89, 0.94, 'weakness'), ('FR10', 'tertiary', 50, 33, 30, 1.5, 1.6, 'weakness')")
    rows = selectors.scoreboard_weaknesses(FakeObservatory(con), "DE11")
    assert [r["indicator"] for r in rows] == ["tertiary", "broadband"]
    empty = duckdb.connect()
    assert selectors.scoreboard_weaknesses(FakeObservatory(empty), "DE11") is None


def test_migrations_are_complete():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "assessments", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_api_lists_the_questionnaires_and_reads_a_result_by_token():
    body = Client().get("/api/assessments/questionnaires").json()
    assert {q["key"] for q in body} == {"stress_test", "cluster_excellence"}
    stress = next(q for q in body if q["key"] == "stress_test")
    assert sum(d["questions"] for d in stress["dimensions"]) == 34
    a = completed(level="3")
    r = Client().get(f"/api/assessments/results/{a.token}").json()
    assert r["overall"] == 100 and r["region"] == "DE11" and r["answers"]["st_strategy"] == "3"
    v = Client().get(f"/api/assessments/questionnaires/stress_test/{stress['version']}").json()
    assert v["key"] == "stress_test" and len(v["dimensions"]) == 7


needs_chromium = pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                                    reason="no Chromium for kaleido")


@pytest.mark.browser
@needs_chromium
def test_radar_exports_as_svg_and_png_with_its_caption():
    a = completed(level="2")
    r = Client().get(f"/self-assessment/a/{a.token}/radar.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    svg = r.content.decode()
    assert "Self-assessment: Stuttgart (DE11)" in svg and "Strategy and" in svg
    png = Client().get(f"/self-assessment/a/{a.token}/radar.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert Client().get(f"/self-assessment/a/{a.token}/radar.gif").status_code == 404
