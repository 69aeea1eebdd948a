const express = require('express');

const app = express();
app.use(express.json());

app.post('/settings', (req, res) => {
  const settings = JSON.parse(req.body.raw);
  res.json({ theme: settings.theme });
});
