import Fastify from 'fastify';
import { promises as fsp } from 'fs';

const app = Fastify();

app.delete('/files', async (request, reply) => {
  const { name } = request.query as { name: string };
  await fsp.unlink(`/srv/tmp/${name}`);
  return reply.code(204).send();
});
