"""The registry's pages, one module a subject: ``organisations`` (home, partner search, profiles, partnership
requests and interest replies, matchmaking, the region page), ``events``, ``content`` (programmes, news),
``curation`` (CSV import and export, uploaded files); ``common`` holds what they share."""
