import { Hono } from 'hono';

const app = new Hono();

app.get('/fetch', async (c) => {
  const target = c.req.query('target');
  const response = await fetch(target!);
  return c.text(await response.text());
});
