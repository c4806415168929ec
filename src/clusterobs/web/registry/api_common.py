"""What the registry's API endpoints (``api``) are made of: token authentication, the documented error
statuses, an object or 404 (or 403 without the right to it), a page of a list, a date parameter, request bodies
(``BodyIn``: a missing or mistyped field is a 400 naming it), writing through the site's own forms (400 naming the
first invalid field, saved by ``services.form_save``), and ``add_endpoints``, which makes the read, create, replace
and delete endpoints of one object type (a ``Kind``) from those.

No ``from __future__ import annotations`` in this module: Django Ninja reads an endpoint's body schema from its
parameter's annotation, which must be the schema class itself (``kind.schema_in``), not a name to look up later.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.forms import BaseForm
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import BaseModel, model_validator
from pydantic import ValidationError as SchemaError

from clusterobs.errors import BadParameter
from clusterobs.web.accounts import services as accounts
from clusterobs.web.api_params import QueryInt
from clusterobs.web.api_schemas import ErrorOut
from clusterobs.web.registry import permissions, services

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
READ_ERRORS = {400: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a personal token of an active account (401 otherwise)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = accounts.token_user(token)
        if user is not None:
            request.user = user
        return user


class BodyIn(Schema):
    """The body of a write. A field missing from it, or of the wrong type, is a 400 naming that field
    (`` `name` is required.``, `` `members_sme` must be an integer; got 'many'.``, ``parameter`` the field's name),
    where Ninja's own validation would name the endpoint's parameter (`` `payload` Field required.``): the error
    leaves as a ``BadParameter`` naming the field, which the API's handler answers with it as ``parameter``.
    A body that is not a JSON object is a 400 too. Output schemas do not derive from this class."""

    @model_validator(mode="wrap")
    @classmethod
    def _fields_named(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        if not isinstance(data, dict | BaseModel):
            raise BadParameter(None, "the request body must be a JSON object")
        try:
            return handler(data)
        except SchemaError as exc:
            raise BadParameter(body_field(exc), body_error(exc)) from None


def body_field(exc: SchemaError) -> str | None:
    """The body field the first error of a body's validation is about (None: the body itself)."""
    loc = exc.errors(include_url=False)[0].get("loc", ())
    return str(loc[0]) if loc else None


def body_error(exc: SchemaError) -> str:
    """The first error of a body's validation, naming its field: "`name` is required.", "`members_sme` must be an
    integer; got 'many'.", "`categories` item 2 must be a valid string; got 3."."""
    first = exc.errors(include_url=False)[0]
    loc = first.get("loc", ())
    where = f"`{loc[0]}`" if loc else "the request body"
    where += "".join(f" item {i + 1}" for i in loc[1:] if isinstance(i, int))
    if first["type"] == "missing":
        return f"{where} is required."
    msg = re.sub(r"^(Input should be|Value error,)", "must be", first.get("msg", "is not valid"))
    msg = msg.replace("must be a valid integer, unable to parse string as an integer", "must be an integer")
    got = repr(first.get("input"))
    return f"{where} {msg}; got {got if len(got) <= 80 else got[:77] + '...'}."


def page_limit() -> Any:
    return Query(100, ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT})")


def page_offset() -> Any:
    return Query(0, ge=0, le=MAX_OFFSET, description="Objects to skip")


def window(limit: int, offset: int) -> slice:
    start = min(max(offset, 0), MAX_OFFSET)
    return slice(start, start + max(1, min(limit, MAX_LIMIT)))


def day(name: str, value: str | None) -> date | None:
    """A query parameter that is a date (``2026-01-31``), or None when left out or empty; a 400 naming it otherwise.
    Read from text rather than typed ``date``, which would also take a number (seconds since 1970)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadParameter(name, f"`{name}` must be a date like 2026-01-31; got {value!r}.") from exc


def get_or_404(model: type[models.Model], pk: int) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, f"no {model._meta.verbose_name} with id {pk}")
    return obj


def forbid() -> None:
    raise HttpError(403, "your account may not do this")


def get_allowed(user: Any, action: str, model: type[models.Model], pk: int) -> Any:
    """The object: 404 when there is none with this id, 403 unless ``permissions`` lets the user ``action`` it
    (``view``, ``change``, ``delete``)."""
    obj = get_or_404(model, pk)
    if not _CAN[action](user, obj):
        forbid()
    return obj


_CAN = {"view": permissions.can_view, "change": permissions.can_change, "delete": permissions.can_delete}


def form_data(payload: Schema) -> dict[str, Any]:
    """A request body as the site's form data (``categories`` is the forms' ``category_slugs``)."""
    data = payload.dict()
    if "categories" in data:
        data["category_slugs"] = data.pop("categories")
    return data


def check_valid(form: BaseForm) -> None:
    """400 naming the form's first invalid field, as the API names it."""
    if not form.is_valid():
        fields = {k: [str(e) for e in v] for k, v in form.errors.items()}
        name = next(iter(fields))
        raise HttpError(400, f"`{'categories' if name == 'category_slugs' else name}`: {fields[name][0]}")


def save(form: BaseForm, **fields: Any) -> Any:
    """Save a valid form as the site does (``services.form_save``), with ``fields`` set (owner, creator…)."""
    check_valid(form)
    with transaction.atomic():
        return services.form_save(form, **fields)


@dataclass(frozen=True)
class Kind:
    """One object type as the API writes it: where, with which model, form and schemas."""

    name: str  # "profile": names the endpoints' operations (clusterobs_web_registry_api_profile_create…)
    noun: str  # "organisation profile": names them in the summaries
    path: str  # "/registry/profiles"; one object at "<path>/{pk}"
    model: type[models.Model]
    form: type[BaseForm]
    schema_in: type[Schema]
    schema_out: type[Schema]
    out: Callable[[Any], dict[str, Any]]  # an object as ``schema_out``
    creator: str | None = None  # the field that records who created it ("owner", "created_by")
    form_user: bool = False  # the form takes ``user`` (the organisations one may act for)
    public: bool = True  # one object is read without a token

    def form_for(self, request: HttpRequest, payload: Schema, instance: models.Model | None = None) -> BaseForm:
        user = {"user": request.user} if self.form_user else {}
        return self.form(data=form_data(payload), instance=instance, **user)


def add_endpoints(router: Router, kind: Kind, *, create: bool = True) -> None:
    """``GET <path>/{pk}``, ``POST <path>`` (unless ``create`` is false), ``PUT`` and ``DELETE <path>/{pk}``."""
    one, a_noun = f"{kind.path}/{{pk}}", f"{'an' if kind.noun[0] in 'aeiou' else 'a'} {kind.noun}"
    token = {"auth": TokenAuth()}

    def get(request: HttpRequest, pk: QueryInt) -> dict[str, Any]:
        return kind.out(get_allowed(request.user, "view", kind.model, pk))

    def post(request: HttpRequest, payload: kind.schema_in) -> Status:
        if not permissions.can_create(request.user, kind.model):
            forbid()
        creator = {kind.creator: request.user} if kind.creator else {}
        return Status(201, kind.out(save(kind.form_for(request, payload), **creator)))

    def put(request: HttpRequest, pk: QueryInt, payload: kind.schema_in) -> dict[str, Any]:
        obj = get_allowed(request.user, "change", kind.model, pk)
        return kind.out(save(kind.form_for(request, payload, instance=obj)))

    def delete(request: HttpRequest, pk: QueryInt) -> Status:
        get_allowed(request.user, "delete", kind.model, pk).delete()
        return Status(204, None)

    def operation(verb: str) -> str:
        return f"clusterobs_web_registry_api_{kind.name}_{verb}"

    router.get(one, response={200: kind.schema_out, **(READ_ERRORS if kind.public else WRITE_ERRORS)},
               summary=f"One {kind.noun}", operation_id=operation("get"), **({} if kind.public else token))(get)
    if create:
        router.post(kind.path, response={201: kind.schema_out, **WRITE_ERRORS}, summary=f"Create {a_noun}",
                    operation_id=operation("create"), **token)(post)
    router.put(one, response={200: kind.schema_out, **WRITE_ERRORS}, summary=f"Replace {a_noun}",
               operation_id=operation("update"), **token)(put)
    router.delete(one, response={204: None, **WRITE_ERRORS}, summary=f"Delete {a_noun}",
                  operation_id=operation("delete"), **token)(delete)
