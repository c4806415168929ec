"""The web observatory: Django pages, the REST API (Django Ninja) and exports.

Reads the published store version through ``clusterobs.web.selectors``; the engine, the
charts and the store never import Django.
"""
