"""Questionnaire files: the shipped ones are valid and of the promised size; a bad one is refused with its place."""

from __future__ import annotations

import re

import pytest

from clusterobs.assessment import DefinitionError, bundled, load, parse_yaml

GOOD = """
key: t
version: "1"
title: T
subject: region
scales:
  s: [{score: 0, label: "No"}, {score: 2, label: "Yes"}]
dimensions:
  - id: a
    title: A
    guidance: do a
    questions:
      - {id: a1, text: 'A1?', scale: s, guidance: [g0, g2]}
"""


def test_shipped_questionnaires():
    files = bundled()
    assert set(files) == {"stress_test", "cluster_excellence"}
    stress = load(files["stress_test"])
    assert stress.subject == "region" and len(stress.dimensions) == 7
    assert 30 <= sum(1 for q in stress.questions if q.kind == "choice") <= 40
    assert "not public" in stress.basis
    bench = load(files["cluster_excellence"])
    assert bench.subject == "organisation"
    assert [d.id for d in bench.dimensions] == ["structure", "governance", "financing", "services", "achievements"]
    assert sum(1 for q in bench.questions if q.kind == "choice") == 30
    assert "ESCA" in bench.basis and "not an ESCA label" in bench.basis
    assert {s["value"] for s in bench.extra["size_classes"]} == {"small", "medium", "large"}
    codes = [c for g in bench.extra["country_groups"].values() for c in g["countries"]]
    assert all(isinstance(c, str) and len(c) == 2 for c in codes) and "NO" in codes  # YAML reads NO as false
    assert len(codes) == len(set(codes))
    labels = {o.label for q in stress.questions for o in q.options}
    assert "In place, in part" in labels  # a comma inside a flow mapping must be quoted
    for q in (*stress.questions, *bench.questions):  # guidance for every answer level
        assert all(o.guidance and o.label for o in q.options)


def test_a_small_definition_parses():
    q = parse_yaml(GOOD, source="t.yml")
    assert q.question("a1").max_score == 2
    assert [o.label for o in q.question("a1").options] == ["No", "Yes"]


@pytest.mark.parametrize(("change", "message"), [
    (("guidance: [g0, g2]", "guidance: [g0]"), "t.yml, question a1 (a): `guidance` must list one text per level"),
    (("scale: s,", "scale: z,"), "unknown scale 'z'"),
    (("subject: region", "subject: city"), "`subject` must be one of region, organisation"),
    (("{score: 2, label: \"Yes\"}", "{score: -1, label: \"Yes\"}"), "option 2: `score` must be a whole number >= 0"),
    (("    title: A\n", "    title: A\n    weight: 0\n"), "dimension a: `weight` must be a number above 0"),
    (("label: \"Yes\"}", "label: yes}"), "`label` must be str; got True"),
])
def test_bad_definitions_name_the_place_and_reason(change, message):
    with pytest.raises(DefinitionError, match=re.escape(message)):
        parse_yaml(GOOD.replace(*change), source="t.yml")
