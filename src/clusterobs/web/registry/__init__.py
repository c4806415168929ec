"""Web pages and API of the registry feature (a Django app: own templates, URLs, API router and translations)."""
