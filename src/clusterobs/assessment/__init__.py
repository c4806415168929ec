"""Self-assessment engine (no Django): questionnaire definitions from versioned YAML, validation, scoring,
weak points with guidance, and comparison with the anonymous aggregate of other results.

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

__all__ = ["MIN_PEERS", "AnswerError", "Comparison", "DefinitionError", "Dimension", "Option", "Question",
           "Questionnaire", "Result", "Stat", "WeakPoint", "bundled", "compare", "load", "missing", "parse",
           "parse_yaml", "score", "validate"]
