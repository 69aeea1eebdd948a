"""object-access-without-ownership on routes whose method does not say what they do: a tRPC
mutation or a server action that updates or deletes the record an id in its input selects,
without filtering by the caller, is judged like a PUT/DELETE; HTTP routes are unchanged."""

from __future__ import annotations

from mcp_backend.review.rules.object_access_without_ownership.project import DETECTOR as OWNERSHIP
from tests.review.javascript.test_fullstack_routes import NEXT_CONFIG, _trpc_app, index_of


def _flagged(files: dict[str, str]) -> set[str]:
    return {f.route or "" for f in OWNERSHIP.check(index_of(files))}


def _with_project_router(body: str) -> dict[str, str]:
    files = _trpc_app()
    files["src/server/routers/project.ts"] = (
        "import { z } from 'zod';\n"
        "import { createTRPCRouter, protectedProcedure } from '../trpc';\n"
        "export const projectRouter = createTRPCRouter({\n" + body + "});\n"
    )
    files["src/server/root.ts"] = files["src/server/root.ts"].replace(
        "const base = createTRPCRouter({ user: userRouter });",
        "import { projectRouter } from './routers/project';\n"
        "const base = createTRPCRouter({ user: userRouter, project: projectRouter });",
    )
    return files


def test_mutation_changing_the_record_its_input_names_is_checked() -> None:
    flagged = _flagged(
        _with_project_router(
            "  archive: protectedProcedure.input(z.object({ id: z.string() }))\n"
            "    .mutation(({ ctx, input }) => ctx.db.project.update({\n"
            "      where: { id: input.id }, data: { archived: true } })),\n"
            "  remove: protectedProcedure.input(z.object({ projectId: z.string() }))\n"
            "    .mutation(async ({ ctx, input }) => {\n"
            "      await ctx.db.delete(projects).where(eq(projects.id, input.projectId));\n"
            "    }),\n"
        )
    )
    assert {"MUTATION project.archive", "MUTATION project.remove"} <= flagged


def test_mutation_filtered_by_the_caller_or_not_changing_the_record_is_not() -> None:
    flagged = _flagged(
        _with_project_router(
            # Filtered by the owner: the caller can only change their own project.
            "  archive: protectedProcedure.input(z.object({ id: z.string() }))\n"
            "    .mutation(({ ctx, input }) => ctx.db.project.update({\n"
            "      where: { id: input.id, ownerId: ctx.session.user.id },\n"
            "      data: { archived: true } })),\n"
            # Loads another record by id, changes none of it (a comment on a project).
            "  comment: protectedProcedure.input(z.object({ projectId: z.string() }))\n"
            "    .mutation(async ({ ctx, input }) => {\n"
            "      const project = await ctx.db.project.findUnique({\n"
            "        where: { id: input.projectId } });\n"
            "      return ctx.db.comment.create({ data: { projectId: project.id, body: 'x' } });\n"
            "    }),\n"
        )
    )
    assert not {f for f in flagged if f.startswith("MUTATION project.")}


def test_server_action_deleting_by_its_argument() -> None:
    files = {
        **NEXT_CONFIG,
        "lib/auth.ts": (
            "import NextAuth from 'next-auth';\n"
            "export const { auth } = NextAuth({ providers: [] });\n"
        ),
        "app/projects/actions.ts": (
            "'use server';\n"
            "import { redirect } from 'next/navigation';\n"
            "import { auth } from '@/lib/auth';\n"
            "import { db } from '@/lib/db';\n"
            "export async function archiveProject(id: string) {\n"
            "  const session = await auth();\n"
            "  if (!session) redirect('/login');\n"
            "  await db.project.delete({ where: { id } });\n"
            "}\n"
            "export async function archiveMine(id: string) {\n"
            "  const session = await auth();\n"
            "  if (!session) redirect('/login');\n"
            "  await db.project.delete({ where: { id, ownerId: session.user.id } });\n"
            "}\n"
        ),
    }
    flagged = _flagged(files)
    assert "POST action:app/projects/actions.ts#archiveProject" in flagged
    assert "POST action:app/projects/actions.ts#archiveMine" not in flagged


def test_http_post_is_unchanged() -> None:
    files = {
        **NEXT_CONFIG,
        "lib/session.ts": (
            "import { cookies } from 'next/headers';\n"
            "export async function requireUser() {\n"
            "  const token = cookies().get('session');\n"
            "  if (!token) throw new Error('Unauthorized');\n"
            "  return token;\n"
            "}\n"
        ),
        "app/api/projects/[id]/archive/route.ts": (
            "import { requireUser } from '@/lib/session';\n"
            "export async function POST(req: Request, { params }) {\n"
            "  await requireUser();\n"
            "  await db.project.update({ where: { id: params.id }, data: { archived: true } });\n"
            "  return Response.json({});\n"
            "}\n"
        ),
    }
    routes = {f"{r.method} {r.path}": r for r in index_of(files).routes}
    assert routes["POST /api/projects/:id/archive"].auth.status == "present"
    assert not _flagged(files)  # a POST over HTTP keeps its rule: PUT/PATCH/DELETE or user data
