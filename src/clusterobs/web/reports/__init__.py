"""Web pages and API of the reports feature (a Django app: own templates, URLs, API router and translations)."""
