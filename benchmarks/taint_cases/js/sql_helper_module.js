const express = require('express');

const app = express();
app.use(express.json());

const { findByName } = require('./lib/db');

app.get('/customers/search', async (req, res) => {
  res.json(await findByName(req.query.name));
});
