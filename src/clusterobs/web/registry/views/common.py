"""Helpers every registry page shares: permission checks that answer 403/404, and create/edit/delete flows (saving
goes through ``services.form_save``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clusterobs.web.registry import permissions

#: rows on a page of a list (profiles, requests)
PAGE_SIZE = 25


def param(request: HttpRequest, name: str, limit: int = 200) -> str:
    """A query parameter, cut to ``limit`` characters, without NUL (PostgreSQL refuses it in a string)."""
    return request.GET.get(name, "")[:limit].replace("\x00", "")


def deny(request: HttpRequest) -> HttpResponse:
    """Anonymous users go to the login page; logged-in users get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def form_page(request: HttpRequest, *, form: Any, title: str, cancel: str,
              save: Callable[[Any], models.Model], multipart: bool = False) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = save(form)
        messages.success(request, _("Saved."))
        return redirect(obj.get_absolute_url())
    return render(request, "registry/form.html", {"form": form, "title": title, "cancel": cancel,
                                                  "multipart": multipart}, status=400 if form.is_bound else 200)


def delete_page(request: HttpRequest, obj: models.Model, *, back: str) -> HttpResponse:
    if not permissions.can_delete(request.user, obj):
        return deny(request)
    if request.method == "POST":
        obj.delete()
        messages.success(request, _("Deleted."))
        return redirect(back)
    return render(request, "registry/confirm_delete.html", {"object": obj, "cancel": obj.get_absolute_url()})

