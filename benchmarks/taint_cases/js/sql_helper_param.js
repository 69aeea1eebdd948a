const express = require('express');

const app = express();
app.use(express.json());

const { findById } = require('./lib/db');

app.get('/customers/:id', async (req, res) => {
  res.json(await findById(req.params.id));
});
