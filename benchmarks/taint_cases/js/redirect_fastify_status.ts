import Fastify from 'fastify';

const app = Fastify();

app.get('/bye', async (request, reply) => {
  const { returnTo } = request.query as { returnTo: string };
  return reply.redirect(returnTo);
});
