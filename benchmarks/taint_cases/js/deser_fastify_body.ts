import Fastify from 'fastify';
import serialize from 'node-serialize';

const app = Fastify();

app.post('/restore', async (request) => {
  const { state } = request.body as { state: string };
  return serialize.unserialize(state);
});
