"""Web pages and API of the linkages feature (a Django app: own templates, URLs, API router and translations)."""
