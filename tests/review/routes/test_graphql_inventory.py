"""GraphQL in Python: Strawberry, Graphene and Ariadne fields as routes, their protections,
and the server options the GraphQL rules read."""

from __future__ import annotations

from mcp_backend.review import route_policy
from mcp_backend.review.model import ProjectIndex, Route
from mcp_backend.review.rules.graphql_introspection_enabled import (
    project as graphql_introspection_enabled,
)
from mcp_backend.review.rules.graphql_no_depth_limit import project as graphql_no_depth_limit
from mcp_backend.review.rules.graphql_stacktrace_exposed import (
    project as graphql_stacktrace_exposed,
)
from mcp_backend.review.scan import run_project_rules
from tests.review.routes.helpers import build_index, route

GRAPHQL_DETECTORS = (
    graphql_introspection_enabled.DETECTOR,
    graphql_no_depth_limit.DETECTOR,
    graphql_stacktrace_exposed.DETECTOR,
)


def graphql_rules(index: ProjectIndex) -> list[str]:
    findings, notes = run_project_rules(index, GRAPHQL_DETECTORS)
    assert not notes
    return sorted(f.rule_id for f in findings)


PERMISSIONS = """
from typing import Any
from strawberry.permission import BasePermission
from strawberry.types import Info

class IsAuthenticated(BasePermission):
    message = "User is not authenticated"
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.request.user.is_authenticated

class IsStaff(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.user is not None and info.context.user.is_staff

class IsLoggedIn(BasePermission):
    # the name says it all, the body lets everyone through
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True
"""


def test_strawberry_permission_classes_judged_by_has_permission() -> None:
    index = build_index(
        {
            "app/permissions.py": PERMISSIONS,
            "app/schema.py": """
import strawberry
from strawberry.permission import PermissionExtension
from strawberry.types import Info
from app.permissions import IsAuthenticated, IsLoggedIn, IsStaff
from vendor_auth import IsMember

@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    def update_profile(self, info: Info, name: str) -> bool:
        return True

    @strawberry.mutation(extensions=[PermissionExtension(permissions=[IsStaff()])])
    def ban_user(self, info: Info, user_id: int) -> bool:
        return True

    @strawberry.mutation(permission_classes=[IsLoggedIn])
    def delete_post(self, info: Info, post_id: int) -> bool:
        return True

    @strawberry.mutation(permission_classes=[IsMember])
    def archive_post(self, info: Info, post_id: int) -> bool:
        return True

    @strawberry.mutation
    def create_account(self, info: Info, email: str) -> bool:
        return True

schema = strawberry.Schema(query=Query, mutation=Mutation)
""",
        }
    )
    update = route(index, "MUTATION", "Mutation.updateProfile")
    assert update.kind == "graphql" and update.framework == "strawberry"
    assert update.auth.status == "present" and update.authz.status == "absent"
    ban = route(index, "MUTATION", "Mutation.banUser")
    assert ban.auth.status == "present" and ban.authz.status == "present"
    assert route(index, "MUTATION", "Mutation.deletePost").auth.status == "absent"
    assert route(index, "MUTATION", "Mutation.archivePost").auth.status == "unknown"
    assert route(index, "MUTATION", "Mutation.createAccount").public_by_design == "registration"


def test_resolver_checks_the_caller_through_a_helper_in_another_module() -> None:
    index = build_index(
        {
            "app/auth.py": """
from graphql import GraphQLError

def require_user(info):
    user = info.context.user
    if user is None:
        raise GraphQLError("Sign in", extensions={"code": "UNAUTHENTICATED"})
    return user

def audit(info, action):
    info.context.log.append(action)
""",
            "app/schema.py": """
import strawberry
from strawberry.types import Info
from app.auth import audit, require_user

@strawberry.type
class Mutation:
    @strawberry.mutation
    def delete_note(self, info: Info, note_id: int) -> bool:
        user = require_user(info)
        return True

    @strawberry.mutation
    def delete_tag(self, info: Info, tag_id: int) -> bool:
        audit(info, "delete_tag")
        return True

    @strawberry.mutation
    def delete_file(self, info: Info, file_id: int) -> bool:
        if not info.context.user:
            raise PermissionError("Not authenticated")
        return True
""",
        }
    )
    note = route(index, "MUTATION", "Mutation.deleteNote")
    assert note.auth.status == "present"
    assert "require_user" in note.auth.evidence[0].detail
    assert route(index, "MUTATION", "Mutation.deleteTag").auth.status == "absent"
    assert route(index, "MUTATION", "Mutation.deleteFile").auth.status == "present"


def test_graphene_resolvers_mutations_and_graphql_jwt() -> None:
    index = build_index(
        {
            "app/schema.py": """
import graphene
from graphql_jwt.decorators import login_required, superuser_required

class DeleteUser(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
    ok = graphene.Boolean()

    @superuser_required
    def mutate(root, info, id):
        User.objects.get(pk=id).delete()
        return DeleteUser(ok=True)

class CreatePost(graphene.Mutation):
    class Arguments:
        title = graphene.String()
    ok = graphene.Boolean()

    def mutate(root, info, title):
        Post.objects.create(title=title)
        return CreatePost(ok=True)

class Query(graphene.ObjectType):
    me = graphene.Field(UserType)
    posts = graphene.List(PostType)

    @login_required
    def resolve_me(root, info):
        return info.context.user

    def resolve_posts(root, info):
        return Post.objects.all()

class Mutation(graphene.ObjectType):
    delete_user = DeleteUser.Field()
    create_post = CreatePost.Field()

schema = graphene.Schema(query=Query, mutation=Mutation)
""",
        }
    )
    assert route(index, "QUERY", "Query.me").auth.status == "present"
    assert route(index, "QUERY", "Query.posts").auth.status == "absent"
    delete = route(index, "MUTATION", "Mutation.deleteUser")
    assert delete.framework == "graphene" and delete.handler == "DeleteUser.mutate"
    assert delete.auth.status == "present" and delete.authz.status == "present"
    assert route(index, "MUTATION", "Mutation.createPost").auth.status == "absent"


def test_ariadne_bindables() -> None:
    index = build_index(
        {
            "app/resolvers.py": """
from ariadne import MutationType, QueryType

query = QueryType()
mutation = MutationType()

@query.field("orders")
def resolve_orders(_, info):
    user = info.context["request"].user
    if not user.is_authenticated:
        raise PermissionError("Not authenticated")
    return Order.objects.filter(owner=user)

@mutation.field("cancelOrder")
def resolve_cancel_order(_, info, id):
    Order.objects.filter(pk=id).update(status="cancelled")
    return True

def resolve_refund(_, info, id):
    return True

mutation.set_field("refundOrder", resolve_refund)
""",
        }
    )
    assert route(index, "QUERY", "Query.orders").auth.status == "present"
    assert route(index, "MUTATION", "Mutation.cancelOrder").auth.status == "absent"
    assert route(index, "MUTATION", "Mutation.refundOrder").framework == "ariadne"


def test_unreadable_resolver_is_unknown() -> None:
    index = build_index(
        {
            "app/schema.py": """
import strawberry
from vendor.resolvers import purge_everything

@strawberry.type
class Mutation:
    purge: bool = strawberry.mutation(resolver=purge_everything)
""",
        }
    )
    assert route(index, "MUTATION", "Mutation.purge").auth.status == "unknown"


def test_graphql_server_rules_python() -> None:
    vulnerable = build_index(
        {
            "app/main.py": """
from ariadne import make_executable_schema
from ariadne.asgi import GraphQL
from strawberry.fastapi import GraphQLRouter

schema = make_executable_schema(type_defs, query)
app = GraphQL(schema, debug=True, introspection=True)
router = GraphQLRouter(strawberry_schema, graphiql=True)
""",
        }
    )
    found = graphql_rules(vulnerable)
    assert found.count("graphql-introspection-enabled") == 2
    assert found.count("graphql-stacktrace-exposed") == 1
    assert found.count("graphql-no-depth-limit") == 1  # the Ariadne app; the router holds none
    clean = build_index(
        {
            "app/main.py": """
import os
from ariadne.asgi import GraphQL
from ariadne.validation import cost_validator

app = GraphQL(schema, debug=os.environ.get("DEBUG") == "1",
              introspection=os.environ.get("DEBUG") == "1",
              validation_rules=[cost_validator(maximum_cost=1000)])
""",
        }
    )
    assert graphql_rules(clean) == []


def _field(method: str, path: str, handler: str = "") -> Route:
    return Route(kind="graphql", method=method, path=path, handler=handler or path, file="a.py",
                 framework="strawberry")  # fmt: skip


def test_policy_reads_graphql_field_names() -> None:
    for path, reason in (
        ("Mutation.login", "login"),
        ("Mutation.signUp", "registration"),
        ("Mutation.createAccount", "registration"),
        ("Mutation.refreshToken", "token refresh"),
        ("Mutation.requestPasswordReset", "password reset"),
        ("Mutation.tokenAuth", "login"),
    ):
        assert route_policy.public_reason(_field("MUTATION", path)) == reason, path
    for path in ("Mutation.deleteUser", "Mutation.updateLoginSettings", "Query.users"):
        assert route_policy.public_reason(_field("MUTATION", path)) is None, path
    delete = _field("MUTATION", "Mutation.deleteUser")
    assert route_policy.is_sensitive(delete)
    assert route_policy.critical_kind(delete) == "deletion"
    assert route_policy.changes_record(delete)
    assert not route_policy.changes_record(_field("MUTATION", "Mutation.createPost"))
    assert route_policy.is_admin_route(_field("MUTATION", "Mutation.adminBanUser"))
    assert route_policy.is_auth_endpoint(
        _field("MUTATION", "Mutation.login").model_copy(update={"public_by_design": "login"})
    )
    assert route_policy.needs_protection(delete, set()) == "it changes data"
    assert route_policy.needs_protection(_field("QUERY", "Query.posts"), set()) is None
    assert route_policy.needs_protection(_field("QUERY", "Query.me"), set())
    # HTTP paths keep their meaning
    assert route_policy.public_reason_of("POST", "/users/delete-account", "h") is None
    assert route_policy.public_reason_of("POST", "/auth/login", "h") == "login"


def test_root_types_bound_by_the_schema_and_inherited_fields() -> None:
    index = build_index(
        {
            "app/users/schema.py": """
import graphene
from graphql_jwt.decorators import login_required

class Query(graphene.ObjectType):
    me = graphene.Field(UserType)

    @login_required
    def resolve_me(root, info):
        return info.context.user
""",
            "app/schema.py": """
import graphene
import strawberry
import app.users.schema

class RootQuery(app.users.schema.Query, graphene.ObjectType):
    def resolve_users(root, info):
        return User.objects.all()

schema = graphene.Schema(query=RootQuery)
""",
        }
    )
    paths = sorted(r.path for r in index.routes)
    assert paths == ["Query.me", "Query.users"]
    assert route(index, "QUERY", "Query.me").auth.status == "present"
    assert route(index, "QUERY", "Query.users").auth.status == "absent"


def test_python_resolver_n_plus_one() -> None:
    from mcp_backend.review.python.analyzer import analyze_python_file

    source = """
import strawberry
import graphene
from strawberry.types import Info

@strawberry.type
class Book:
    author_id: strawberry.Private[int]

    @strawberry.field
    def author(self, info: Info) -> "Author":
        return info.context.session.get(Author, self.author_id)

    @strawberry.field
    async def reviews(self, info: Info) -> list["Review"]:
        return await info.context.review_loader.load(self.id)

class PostType(graphene.ObjectType):
    def resolve_author(root, info):
        return User.objects.get(pk=root.author_id)

    def resolve_title(root, info):
        return root.title.strip()

@strawberry.type
class Query:
    @strawberry.field
    def book(self, info: Info, id: int) -> Book:
        return info.context.session.get(BookModel, id)
"""
    result = analyze_python_file("app/types.py", source)
    found = [(f.rule_id, f.line) for f in result.findings if f.rule_id.startswith("graphql")]
    assert found == [("graphql-resolver-n-plus-one", 12), ("graphql-resolver-n-plus-one", 20)]


def test_ariadne_object_type_resolver_n_plus_one() -> None:
    from mcp_backend.review.python.analyzer import analyze_python_file

    source = """
from ariadne import ObjectType, QueryType

query = QueryType()
order = ObjectType("Order")

@order.field("customer")
async def resolve_customer(obj, info):
    return await info.context["db"].get(User, obj.customer_id)

@order.field("product")
def resolve_product(obj, info):
    return Product.objects.get(pk=obj["product_id"])

@order.field("seller")
async def resolve_seller(obj, info):
    return await info.context["loaders"]["user"].load(obj.seller_id)

@order.field("total")
def resolve_total(obj, info):
    return obj.quantity * obj.unit_price

@query.field("order")
async def resolve_order(_, info, id):
    return await info.context["db"].get(Order, id)
"""
    result = analyze_python_file("app/resolvers.py", source)
    found = [(f.rule_id, f.line) for f in result.findings if f.rule_id.startswith("graphql")]
    # the loader, the computed field and the root Query field are not reported
    assert found == [("graphql-resolver-n-plus-one", 9), ("graphql-resolver-n-plus-one", 13)]


def test_strawberry_serves_graphiql_unless_told_not_to() -> None:
    def ide_findings(options: str) -> int:
        index = build_index(
            {
                "app/main.py": f"""
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter
from app.schema import schema
from app.settings import settings

router = GraphQLRouter(schema{options})
app = FastAPI()
app.include_router(router, prefix="/graphql")
""",
            }
        )
        return graphql_rules(index).count("graphql-introspection-enabled")

    assert ide_findings("") == 1  # graphql_ide defaults to "graphiql"
    assert ide_findings(', graphql_ide="graphiql"') == 1
    assert ide_findings(", graphiql=True") == 1
    assert ide_findings(", graphql_ide=None") == 0
    assert ide_findings(", graphiql=False") == 0
    assert ide_findings(', graphql_ide="graphiql" if settings.DEBUG else None') == 0
    assert ide_findings(", **settings.GRAPHQL_OPTIONS") == 0  # cannot be read


def test_ariadne_answers_introspection_unless_told_not_to() -> None:
    def introspection_findings(options: str) -> int:
        index = build_index(
            {
                "app/main.py": f"""
from ariadne.asgi import GraphQL
from app.schema import schema
from app import settings

app = GraphQL(schema{options})
""",
            }
        )
        return graphql_rules(index).count("graphql-introspection-enabled")

    assert introspection_findings("") == 1  # introspection defaults to True
    assert introspection_findings(", debug=False") == 1
    assert introspection_findings(", introspection=True") == 1
    assert introspection_findings(", introspection=False") == 0
    assert introspection_findings(", introspection=settings.DEBUG") == 0
    assert introspection_findings(", **settings.GRAPHQL_OPTIONS") == 0  # cannot be read


def test_resolver_loads_by_a_converted_id_from_a_context_session() -> None:
    index = build_index(
        {
            "app/resolvers.py": """
from ariadne import QueryType
from app.auth import current_user

query = QueryType()

@query.field("order")
async def resolve_order(_, info, id):
    current_user(info)
    return await info.context["db"].get(Order, int(id))

@query.field("invoice")
def resolve_invoice(_, info, invoice_id):
    current_user(info)
    return db.get(Invoice, int(invoice_id))

@query.field("note")
async def resolve_note(_, info, id):
    current_user(info)
    return await info.context["db"].get(Note, id)

@query.field("report")
async def resolve_report(_, info, year):
    current_user(info)
    return await info.context["db"].get(Report, int(year))
""",
            "app/auth.py": """
from graphql import GraphQLError

def current_user(info):
    user = info.context["request"].user
    if not user.is_authenticated:
        raise GraphQLError("Authentication required")
    return user
""",
        }
    )
    for path in ("Query.order", "Query.invoice", "Query.note"):
        assert route(index, "QUERY", path).loads_by_id, path
    assert not route(index, "QUERY", "Query.report").loads_by_id  # not an id


GRAPHENE_SCHEMA = """
import graphene
import graphql_jwt


class Mutation(graphene.ObjectType):
    token_auth = graphql_jwt.ObtainJSONWebToken.Field()
    rename = graphene.Field(graphene.String, name=graphene.String())

    def resolve_rename(self, info, name):
        return name


schema = graphene.Schema(mutation=Mutation)
"""
LIMITED_VIEW = """
from django.urls import path
from django_ratelimit.decorators import ratelimit
from graphene_django.views import GraphQLView

view = GraphQLView.as_view()
urlpatterns = [path("graphql/", ratelimit(key="ip", rate="120/m", block=True)(view))]
"""


def test_fields_get_the_rate_limit_wrapped_around_the_one_view_serving_the_schema() -> None:
    index = build_index({"app/schema.py": GRAPHENE_SCHEMA, "app/urls.py": LIMITED_VIEW})
    token = next(r for r in index.routes if r.path.endswith("tokenAuth"))
    assert token.rate_limit.status == "present"
    assert "view serving the schema" in token.rate_limit.note
    # two views: which one serves these fields is not read, so nothing is passed on
    two = LIMITED_VIEW.replace(
        "urlpatterns = [",
        'urlpatterns = [path("graphql-open/", GraphQLView.as_view()), ',
    )
    index = build_index({"app/schema.py": GRAPHENE_SCHEMA, "app/urls.py": two})
    token = next(r for r in index.routes if r.path.endswith("tokenAuth"))
    assert token.rate_limit.status != "present"
