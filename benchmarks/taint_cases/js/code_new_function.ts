import { Hono } from 'hono';

const app = new Hono();

app.post('/formula', async (c) => {
  const { formula } = await c.req.json();
  const compute = new Function('x', `return ${formula};`);
  return c.json({ value: compute(2) });
});
