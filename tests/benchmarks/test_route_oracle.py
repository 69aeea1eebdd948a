"""The route oracle's normaliser and matcher on hand-written route lists (no install, no
network): every parameter spelling meets, methods and prefixes still tell routes apart."""

from __future__ import annotations

import pytest

from benchmarks.route_oracle import (
    SHIMS,
    compare,
    drop_unresolved_prefix,
    load_apps,
    normalise_method,
    normalise_path,
    route_key,
)


@pytest.mark.parametrize(
    "path",
    [
        "/users/{id}",
        "/users/:id",
        "/users/<int:id>",
        "/users/<id>",
        "/users/{id:uuid}",
        "/users/:id(\\d+)",
        "/users/{id}/",
        "users/<int:id>/",
        "^users/(?P<id>[0-9]+)/$",
        "^users/(?P<id>[^/.]+)/?$",
    ],
)
def test_every_parameter_spelling_normalises_to_one_path(path: str) -> None:
    assert normalise_path(path) == "/users/{}"


def test_regex_routes_and_root() -> None:
    assert normalise_path("^$", regex=True) == "/"
    assert normalise_path("/") == "/"
    assert normalise_path("") == "/"
    assert normalise_path("^api/v1/", regex=True) == "/api/v1"
    assert normalise_path(r"^kb/(?P<slug>[A-Za-z0-9_-]+)/vote/(\d+)/$") == "/kb/{}/vote/{}"
    assert normalise_path("//a//b/") == "/a/b"
    assert normalise_path("/-/all(/since)?") == "/-/all"  # Express optional literal group
    assert normalise_path("/files/*") == "/files/{}"
    assert normalise_path("/(.*)") == "/{}"


def test_methods() -> None:
    assert normalise_method("get") == "GET"
    assert normalise_method("ALL") == normalise_method("ANY") == "*"


def test_param_styles_match_across_frameworks() -> None:
    oracle = [route_key("GET", "/users/{id}"), route_key("DELETE", "/users/<int:id>")]
    ours = [route_key("get", "/users/:id"), route_key("DELETE", "/users/:userId/")]
    result = compare(oracle, ours)
    assert result.recall == 1.0
    assert result.precision == 1.0
    assert not result.missed
    assert not result.extra


def test_different_methods_do_not_match() -> None:
    result = compare([route_key("POST", "/users")], [route_key("GET", "/users")])
    assert result.recall == 0.0
    assert result.precision == 0.0
    assert [k.method for k in result.missed] == ["POST"]
    assert [k.method for k in result.extra] == ["GET"]
    assert not result.prefix_lost  # same path, other method: not a prefix problem


def test_wildcard_method_matches_any_method_on_the_same_path() -> None:
    # A Django function view answers every method; our inventory may name one, or the reverse.
    result = compare([route_key("ANY", "/tickets/<int:id>/")], [route_key("GET", "/tickets/:id")])
    assert result.recall == 1.0
    assert result.precision == 1.0
    result = compare([route_key("PUT", "/a")], [route_key("ALL", "/a")])
    assert result.recall == 1.0
    assert not compare([route_key("ANY", "/a")], [route_key("GET", "/b")]).matched_oracle


def test_prefixes_matter_and_a_lost_prefix_is_named() -> None:
    oracle = [route_key("GET", "/api/flows/{id}"), route_key("GET", "/health")]
    ours = [route_key("GET", "/flows/:id"), route_key("GET", "/health")]
    result = compare(oracle, ours)
    assert result.recall == 0.5
    assert result.precision == 0.5
    assert [k.path for k in result.missed] == ["/api/flows/{}"]
    assert [k.path for k in result.prefix_lost] == ["/api/flows/{}"]
    # A longer path of ours is not the same route either.
    assert compare([route_key("GET", "/flows")], [route_key("GET", "/api/flows")]).recall == 0.0


def test_implicit_head_is_not_a_route_of_its_own() -> None:
    oracle = [route_key("GET", "/a"), route_key("HEAD", "/a"), route_key("HEAD", "/b")]
    result = compare(oracle, [route_key("GET", "/a")])
    assert [(k.method, k.path) for k in result.oracle] == [("GET", "/a"), ("HEAD", "/b")]
    assert result.recall == 0.5


def test_duplicates_count_once() -> None:
    result = compare([route_key("GET", "/a/:x"), route_key("GET", "/a/{y}")], [])
    assert len(result.oracle) == 1
    assert result.recall == 0.0
    assert compare([], []).recall == 1.0


def test_the_app_list_is_well_formed() -> None:
    apps = load_apps()
    names = [app.name for app in apps]
    assert len(names) == len(set(names))
    ecosystems = [app.ecosystem for app in apps]
    assert ecosystems.count("python") >= 3
    assert ecosystems.count("node") >= 3
    for app in apps:
        assert app.install, app.name
        assert (SHIMS / app.boot).is_file(), app.boot
        assert all(("==" in spec) or ("@" in spec.lstrip("@")) for spec in app.install), app.name


def test_a_leading_unresolved_mount_prefix_is_dropped_a_hole_further_in_is_a_segment() -> None:
    assert drop_unresolved_prefix("/{baseUriPath}/api/admin") == "/api/admin"
    assert drop_unresolved_prefix("{config.base}/{x}/health") == "/health"
    assert drop_unresolved_prefix("/{baseUriPath}") == "/"
    # Further in, a hole stands for one segment; a parameter is never spelled {name} in JS.
    assert drop_unresolved_prefix("/api/{prefix}/items") == "/api/{prefix}/items"
    assert drop_unresolved_prefix("/api/:id") == "/api/:id"
