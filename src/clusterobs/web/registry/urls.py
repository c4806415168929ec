"""URLs of the registry pages, included at the site root under the ``registry`` namespace."""

from django.urls import path

from clusterobs.web.registry.views import content, curation, events, organisations

app_name = "registry"
urlpatterns = [
    path("registry/", organisations.index, name="index"),
    path("registry/regions/<str:code>/", organisations.region, name="region"),
    # profiles
    path("registry/organisations/", organisations.profile_list, name="profiles"),
    path("registry/organisations/new/", organisations.profile_create, name="profile_create"),
    path("registry/organisations/export.csv", curation.profiles_export, name="profiles_export"),
    path("registry/organisations/import/", curation.profiles_import, name="profiles_import"),
    path("registry/organisations/<int:pk>/", organisations.profile_detail, name="profile"),
    path("registry/organisations/<int:pk>/edit/", organisations.profile_edit, name="profile_edit"),
    path("registry/organisations/<int:pk>/delete/", organisations.profile_delete, name="profile_delete"),
    path("registry/organisations/<int:pk>/partners/", organisations.profile_matches, name="profile_matches"),
    # partnership requests and interest replies
    path("registry/requests/", organisations.request_list, name="requests"),
    path("registry/requests/new/", organisations.request_create, name="request_create"),
    path("registry/requests/<int:pk>/", organisations.request_detail, name="request"),
    path("registry/requests/<int:pk>/edit/", organisations.request_edit, name="request_edit"),
    path("registry/requests/<int:pk>/delete/", organisations.request_delete, name="request_delete"),
    path("registry/requests/<int:pk>/partners/", organisations.request_matches, name="request_matches"),
    path("registry/requests/<int:pk>/interest/", organisations.reply_create, name="reply_create"),
    path("registry/replies/<int:pk>/", organisations.reply_detail, name="reply"),
    path("registry/replies/<int:pk>/edit/", organisations.reply_edit, name="reply_edit"),
    path("registry/replies/<int:pk>/delete/", organisations.reply_delete, name="reply_delete"),
    # events
    path("registry/events/", events.event_list, name="events"),
    path("registry/events/calendar/", events.event_month, name="events_month_now"),
    path("registry/events/calendar/<int:year>/<int:month>/", events.event_month, name="events_month"),
    path("registry/events/new/", events.event_create, name="event_create"),
    path("registry/events.ics", events.events_feed, name="events_ics"),
    path("registry/events/<int:pk>/", events.event_detail, name="event"),
    path("registry/events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("registry/events/<int:pk>/delete/", events.event_delete, name="event_delete"),
    path("registry/events/<int:pk>/event.ics", events.event_ics, name="event_ics"),
    # programmes and policies
    path("registry/programmes/", content.programme_list, name="programmes"),
    path("registry/programmes/new/", content.programme_create, name="programme_create"),
    path("registry/programmes/<int:pk>/", content.programme_detail, name="programme"),
    path("registry/programmes/<int:pk>/edit/", content.programme_edit, name="programme_edit"),
    path("registry/programmes/<int:pk>/delete/", content.programme_delete, name="programme_delete"),
    # news and publications
    path("registry/news/", content.news_list, name="news"),
    path("registry/news/feed.atom", content.NewsFeed(), name="news_feed"),
    path("registry/news/new/", content.news_create, name="news_create"),
    path("registry/news/<int:pk>/", content.news_detail, name="news_item"),
    path("registry/news/<int:pk>/edit/", content.news_edit, name="news_edit"),
    path("registry/news/<int:pk>/delete/", content.news_delete, name="news_delete"),
    path("registry/media/<path:path>", curation.media, name="media"),
]
