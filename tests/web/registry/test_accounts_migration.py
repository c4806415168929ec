"""``ApiToken`` moved from the registry to the accounts app (accounts 0001, registry 0006) without SQL: a token made
before the move still authenticates after it, its table keeps its name and rows both ways, and the model's content
type (with its permissions) follows it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clusterobs.web.accounts.models import ApiToken
from clusterobs.web.accounts.services import token_user

BEFORE = [("registry", "0005_event_timezone_newsitem_is_example"), ("accounts", None)]
TOKEN = "a-token-made-before-the-accounts-app"


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def _latest() -> list[tuple[str, str]]:
    graph = MigrationExecutor(connection).loader.graph
    return [*graph.leaf_nodes("registry"), *graph.leaf_nodes("accounts")]


def _rows() -> list[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute("SELECT prefix, digest FROM registry_apitoken ORDER BY id")
        return [tuple(row) for row in cur.fetchall()]


@pytest.mark.django_db(transaction=True)  # SQLite alters its schema outside a transaction only
def test_a_token_made_under_the_registry_authenticates_after_the_move():
    user = get_user_model().objects.create_user("owner", "owner@example.org", "correct horse battery staple 42")
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[0]).apps
    assert "apitoken" in old.all_models["registry"] and "apitoken" not in old.all_models.get("accounts", {})
    old.get_model("registry", "ApiToken").objects.create(user_id=user.pk, digest=ApiToken.hash(TOKEN),
                                                         prefix=TOKEN[:8])
    registry_type = ContentType.objects.get_or_create(app_label="registry", model="apitoken")[0]
    try:
        _migrate(_latest())
        assert token_user(TOKEN) == user
        assert ApiToken.objects.get().prefix == "a-token-"
        assert ContentType.objects.get(pk=registry_type.pk).app_label == "accounts"

        _migrate(BEFORE)  # and back: the rows stay, the content type returns
        assert _rows() == [("a-token-", ApiToken.hash(TOKEN))]
        assert ContentType.objects.get(pk=registry_type.pk).app_label == "registry"
    finally:
        _migrate(_latest())
    assert token_user(TOKEN) == user and token_user("another-token") is None
