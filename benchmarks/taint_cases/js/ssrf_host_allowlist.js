const express = require('express');

const app = express();
app.use(express.json());

const ALLOWED_HOSTS = ['images.example.com', 'cdn.example.com'];

app.get('/proxy', async (req, res) => {
  const target = new URL(req.query.src);
  if (!ALLOWED_HOSTS.includes(target.hostname)) {
    return res.status(400).end();
  }
  const upstream = await fetch(target);
  res.send(Buffer.from(await upstream.arrayBuffer()));
});
