const express = require('express');

const app = express();
app.use(express.json());

const { getPartner } = require('./lib/net');

app.get('/partners/:id', async (req, res) => {
  res.json(await getPartner(req.params.id));
});
