"""The Regional Ecosystem Scoreboard: composite indicators of framework conditions (see docs/scoreboard.md).

``load_registry`` reads the indicator registry, ``run_pipeline`` runs imputation, transformation, outlier
treatment, normalisation, aggregation and ranks on long observations, ``monte_carlo_ranks`` gives rank
intervals, ``build`` does all of it from the store's tables (as ``clusterobs compute`` does).
"""

from clusterobs.scoreboard.build import Scoreboard, build
from clusterobs.scoreboard.pipeline import Result, Settings, run_pipeline
from clusterobs.scoreboard.registry import Indicator, Registry, RegistryError, load_registry
from clusterobs.scoreboard.uncertainty import monte_carlo_ranks

__all__ = ["Indicator", "Registry", "RegistryError", "Result", "Scoreboard", "Settings", "build",
           "load_registry", "monte_carlo_ranks", "run_pipeline"]
