import { Hono } from 'hono';

const app = new Hono();

app.get('/page', (c) => {
  const title = c.req.query('title') ?? '';
  return c.html('<html><title>' + title + '</title></html>');
});
