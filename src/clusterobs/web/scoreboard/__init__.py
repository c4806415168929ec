"""Web pages and API of the scoreboard feature (a Django app: own templates, URLs, API router and translations)."""
