"""The web observatory: Django pages, the REST API (Django Ninja) and exports.

A site kernel (this package's modules: settings, URLs, the API object and its error envelope, the HTTP cache, file
formats, the published version's shared reads ``clusterobs.web.dataset``, page helpers, the chart registry, base
templates) and one Django app per feature below it (``mapping``: the Cluster Mapping Tool; ``linkages``,
``complexity``, ``scoreboard``, ``reports``, ``assessments``, ``registry``). The kernel imports no app; the engine,
the charts and the store never import Django.
"""
