const express = require('express');

const app = express();
app.use(express.json());

const { getJson } = require('./lib/net');

app.post('/webhooks/test', async (req, res) => {
  res.json(await getJson(req.body.callbackUrl));
});
