"""The Regional Ecosystem Scoreboard: composite indicators of framework conditions (see docs/scoreboard.md).

``load_registry`` reads the indicator registry, ``run_pipeline`` runs imputation, transformation, outlier
treatment, normalisation, aggregation and ranks on long observations, ``monte_carlo_ranks`` gives rank
intervals, ``build`` does all of it from the store's tables (as ``clusterobs compute`` does).

The names are imported on first use: ``clusterobs scoreboard`` (and so the ``clusterobs`` command) imports none of
the computation before a command runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clusterobs.scoreboard.build import Scoreboard, build
    from clusterobs.scoreboard.pipeline import Result, Settings, run_pipeline
    from clusterobs.scoreboard.registry import Indicator, Registry, RegistryError, load_registry
    from clusterobs.scoreboard.uncertainty import monte_carlo_ranks

_WHERE = {"Scoreboard": "build", "build": "build", "Result": "pipeline", "Settings": "pipeline",
          "run_pipeline": "pipeline", "Indicator": "registry", "Registry": "registry", "RegistryError": "registry",
          "load_registry": "registry", "monte_carlo_ranks": "uncertainty"}

__all__ = ["Indicator", "Registry", "RegistryError", "Result", "Scoreboard", "Settings", "build",
           "load_registry", "monte_carlo_ranks", "run_pipeline"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"clusterobs.scoreboard.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
