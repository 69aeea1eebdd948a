const express = require('express');

const app = express();
app.use(express.json());

const { statusClause, countWhere } = require('./lib/db');

app.get('/orders/count', async (req, res) => {
  res.json(await countWhere(statusClause(req.query.status)));
});
