"""Catalog entry: a GraphQL field resolver that queries once per parent object."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="graphql-resolver-n-plus-one",
    name="GraphQL field resolver queries once per parent (no DataLoader)",
    checklist_item="n-plus-one",
    severity="low",
    confidence="medium",
    cwe=1073,
    owasp=None,
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds resolvers of fields of object types other than Query/Mutation/Subscription "
            "(`Post.author`, a Strawberry `@strawberry.field` method on a type, a Graphene "
            "`resolve_author` on a `DjangoObjectType`) that read the database by a key of the "
            "parent object (`post.authorId`, `self.author_id`) with an ORM or driver call and "
            "no DataLoader (`loader.load(...)`). Prisma `findUnique` is not reported: Prisma "
            "batches those calls made in the same tick."
        ),
        why=(
            "GraphQL resolves the field once for every parent in the list: a query for 100 "
            "posts with their authors runs 101 queries. The cost grows with the page size and "
            "the nesting, and a client chooses both."
        ),
        example=(
            "```ts\n"
            "const resolvers = {\n"
            "  Post: {\n"
            "    author: (post, _args, { db }) =>\n"
            "      db.user.findOne({ where: { id: post.authorId } }),\n"
            "  },\n"
            "};\n"
            "```"
        ),
        instead=(
            "```ts\n"
            "// one loader per request, in the context\n"
            "const userLoader = new DataLoader(async (ids) => {\n"
            "  const users = await db.user.findAll({ where: { id: ids } });\n"
            "  return ids.map((id) => users.find((u) => u.id === id));\n"
            "});\n"
            "const resolvers = {\n"
            "  Post: { author: (post, _a, ctx) => ctx.userLoader.load(post.authorId) },\n"
            "};\n"
            "```\n"
            "\n"
            "```python\n"
            "@strawberry.field\n"
            "async def author(self, info: Info) -> User:\n"
            "    return await info.context.user_loader.load(self.author_id)\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/1073.html",
            "https://github.com/graphql/dataloader",
            "https://strawberry.rocks/docs/guides/dataloaders",
        ],
    ),
)
