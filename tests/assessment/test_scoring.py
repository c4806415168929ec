"""Scoring of the shipped Stress Test, computed by hand; one changed answer moves exactly one dimension."""

from __future__ import annotations

import pytest

from clusterobs.assessment import AnswerError, bundled, load, score, validate


@pytest.fixture(scope="module")
def stress():
    return load(bundled()["stress_test"])


def answers_fixture(q) -> dict[str, str]:
    """Every choice at level "2" (2 of 3), except four answers in two dimensions."""
    answers = {x.id: "2" for x in q.questions if x.kind == "choice"}
    answers.update(st_strategy="3", st_budget="0", in_strategy="0", in_missions="1", in_eu_programmes="3",
                   in_investment="3")
    return answers


def test_full_set_scored_by_hand(stress):
    """Dimension weights: strategy 1.5, framework 1, cross_sectoral 1.5, emerging 1.5, international 1,
    sme_skills 1.5, monitoring 1 (sum 9).

    strategy: st_strategy w2 at 3/3, st_owner w1 2/3, st_budget w1.5 0/3, st_stakeholders w1 2/3, st_alignment w1 2/3
      = 100 * (2*1 + 1*2/3 + 1.5*0 + 1*2/3 + 1*2/3) / 6.5 = 100 * 4 / 6.5 = 800/13 = 61.538...
    international: four questions of weight 1 at 0/3, 1/3, 3/3, 3/3 = 100 * (0 + 1/3 + 1 + 1) / 4 = 175/3 = 58.333...
    the five other dimensions: every answer 2/3 = 200/3 = 66.667
    overall = (1.5 * 800/13 + (1 + 1.5 + 1.5 + 1.5 + 1) * 200/3 + 1 * 175/3) / 9
            = (1200/13 + 1300/3 + 175/3) / 9 = 22775/351 = 64.886...
    weak points (share < 50%), cost = 100 * W_d/9 * w_q/sum(w) * (1 - share):
      st_budget 100 * 1.5/9 * 1.5/6.5 * 1 = 3.846; in_strategy 100 * 1/9 * 1/4 * 1 = 2.778;
      in_missions 100 * 1/9 * 1/4 * 2/3 = 1.852
    """
    r = score(stress, answers_fixture(stress))
    dims = r.by_dimension()
    assert dims["strategy"] == pytest.approx(800 / 13)
    assert dims["international"] == pytest.approx(175 / 3)
    for d in ("framework", "cross_sectoral", "emerging", "sme_skills", "monitoring"):
        assert dims[d] == pytest.approx(200 / 3)
    assert r.overall == pytest.approx(22775 / 351)
    assert [w.question for w in r.weak_points] == ["st_budget", "in_strategy", "in_missions"]
    assert [w.cost for w in r.weak_points] == pytest.approx([100 * 1.5 / 9 * 1.5 / 6.5, 100 / 36, 100 / 36 * 2 / 3])
    assert r.weak_points[0].guidance.startswith("Secure a dedicated budget line")  # the guidance of level 0
    assert not any(d.weak for d in r.dimensions)


def test_band_follows_the_overall_score(stress):
    """64.9 lies in [40, 65): the "Developing" band."""
    r = score(stress, answers_fixture(stress))
    assert 40 <= r.overall < 65 and r.band == "Developing"


def test_one_changed_answer_moves_exactly_its_dimension(stress):
    """me_evaluation (weight 1.5 of 6 in monitoring, dimension weight 1 of 9) from 2/3 to 0/3:
    monitoring = 100 * (6 * 2/3 - 1.5 * 2/3) / 6 = 50 (was 66.667, -16.667); overall -16.667/9 = -1.852."""
    before = score(stress, answers_fixture(stress))
    after = score(stress, {**answers_fixture(stress), "me_evaluation": "0"})
    b, a = before.by_dimension(), after.by_dimension()
    assert a["monitoring"] == pytest.approx(50.0)
    assert {k for k in b if b[k] != a[k]} == {"monitoring"}
    assert after.overall - before.overall == pytest.approx(-(200 / 3 - 50) / 9)
    assert "me_evaluation" in [w.question for w in after.weak_points]


def test_extremes(stress):
    top = score(stress, {x.id: "3" for x in stress.questions if x.kind == "choice"})
    low = score(stress, {x.id: "0" for x in stress.questions if x.kind == "choice"})
    assert top.overall == pytest.approx(100) and not top.weak_points and top.band == "Advanced"
    assert low.overall == 0 and len(low.weak_points) == 34 and all(d.weak for d in low.dimensions)


def test_invalid_and_missing_answers_are_named(stress):
    answers = answers_fixture(stress)
    answers.pop("fw_finance")
    answers["st_owner"] = "7"
    answers["nope"] = "1"
    answers["st_comment"] = "x" * 2001
    with pytest.raises(AnswerError) as exc:
        score(stress, answers)
    assert set(exc.value.errors) == {"fw_finance", "st_owner", "nope", "st_comment"}
    assert "must be one of 0, 1, 2, 3; got '7'" in exc.value.errors["st_owner"]
    assert exc.value.errors["fw_finance"] == "an answer is required"
    # partial answers are fine while answering
    assert validate(stress, {"st_owner": "1", "st_comment": ""}) == {"st_owner": "1"}


def test_comments_are_kept_but_not_scored(stress):
    base = score(stress, answers_fixture(stress))
    with_comment = score(stress, {**answers_fixture(stress), "st_comment": "<b>ours</b>"})
    assert with_comment.overall == base.overall
    assert with_comment.comments == {"st_comment": "<b>ours</b>"}
