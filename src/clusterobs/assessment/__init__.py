"""Self-assessment engine (no Django): questionnaire definitions from versioned YAML, validation, scoring,
weak points with guidance, comparison with the anonymous aggregate of other results, and translations of a
version's texts (``<key>.<language>.yml`` beside its definition).

Two questionnaires ship with it (``questionnaires/``): ``stress_test`` (the Stress Test for Cluster Policy, our own
questions) and ``cluster_excellence`` (a benchmark of cluster-management excellence for cluster organisations).
"""

from clusterobs.assessment.compare import MIN_PEERS, Comparison, Stat, compare
from clusterobs.assessment.definition import (
    DefinitionError,
    Dimension,
    Option,
    Question,
    Questionnaire,
    bundled,
    load,
    parse,
    parse_yaml,
)
from clusterobs.assessment.scoring import AnswerError, Result, WeakPoint, missing, score, validate
from clusterobs.assessment.translation import Localised, localise

__all__ = ["MIN_PEERS", "AnswerError", "Comparison", "DefinitionError", "Dimension", "Localised", "Option",
           "Question", "Questionnaire", "Result", "Stat", "WeakPoint", "bundled", "compare", "load", "localise",
           "missing", "parse", "parse_yaml", "score", "validate"]
