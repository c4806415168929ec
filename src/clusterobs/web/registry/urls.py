"""URLs of the registry pages, included at the site root under the ``registry`` namespace."""

from django.urls import path

from clusterobs.web.registry import views, views_content, views_curation, views_events

app_name = "registry"
urlpatterns = [
    path("registry/", views.index, name="index"),
    path("registry/regions/<str:code>/", views.region, name="region"),
    # profiles
    path("registry/organisations/", views.profile_list, name="profiles"),
    path("registry/organisations/new/", views.profile_create, name="profile_create"),
    path("registry/organisations/export.csv", views_curation.profiles_export, name="profiles_export"),
    path("registry/organisations/import/", views_curation.profiles_import, name="profiles_import"),
    path("registry/organisations/<int:pk>/", views.profile_detail, name="profile"),
    path("registry/organisations/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("registry/organisations/<int:pk>/delete/", views.profile_delete, name="profile_delete"),
    path("registry/organisations/<int:pk>/partners/", views.profile_matches, name="profile_matches"),
    # partnership requests and interest replies
    path("registry/requests/", views.request_list, name="requests"),
    path("registry/requests/new/", views.request_create, name="request_create"),
    path("registry/requests/<int:pk>/", views.request_detail, name="request"),
    path("registry/requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("registry/requests/<int:pk>/delete/", views.request_delete, name="request_delete"),
    path("registry/requests/<int:pk>/partners/", views.request_matches, name="request_matches"),
    path("registry/requests/<int:pk>/interest/", views.reply_create, name="reply_create"),
    path("registry/replies/<int:pk>/", views.reply_detail, name="reply"),
    path("registry/replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("registry/replies/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    # events
    path("registry/events/", views_events.event_list, name="events"),
    path("registry/events/calendar/", views_events.event_month, name="events_month_now"),
    path("registry/events/calendar/<int:year>/<int:month>/", views_events.event_month, name="events_month"),
    path("registry/events/new/", views_events.event_create, name="event_create"),
    path("registry/events.ics", views_events.events_feed, name="events_ics"),
    path("registry/events/<int:pk>/", views_events.event_detail, name="event"),
    path("registry/events/<int:pk>/edit/", views_events.event_edit, name="event_edit"),
    path("registry/events/<int:pk>/delete/", views_events.event_delete, name="event_delete"),
    path("registry/events/<int:pk>/event.ics", views_events.event_ics, name="event_ics"),
    # programmes and policies
    path("registry/programmes/", views_content.programme_list, name="programmes"),
    path("registry/programmes/new/", views_content.programme_create, name="programme_create"),
    path("registry/programmes/<int:pk>/", views_content.programme_detail, name="programme"),
    path("registry/programmes/<int:pk>/edit/", views_content.programme_edit, name="programme_edit"),
    path("registry/programmes/<int:pk>/delete/", views_content.programme_delete, name="programme_delete"),
    # news and publications
    path("registry/news/", views_content.news_list, name="news"),
    path("registry/news/feed.atom", views_content.NewsFeed(), name="news_feed"),
    path("registry/news/new/", views_content.news_create, name="news_create"),
    path("registry/news/<int:pk>/", views_content.news_detail, name="news_item"),
    path("registry/news/<int:pk>/edit/", views_content.news_edit, name="news_edit"),
    path("registry/news/<int:pk>/delete/", views_content.news_delete, name="news_delete"),
    path("registry/media/<path:path>", views_curation.media, name="media"),
]
