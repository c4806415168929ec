"""Web pages and API of the assessments feature (a Django app: own templates, URLs, API router and translations)."""
