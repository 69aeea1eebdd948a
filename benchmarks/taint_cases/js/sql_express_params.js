const express = require('express');

const app = express();
app.use(express.json());

const { pool } = require('./lib/db');

app.get('/orders', async (req, res) => {
  const result = await pool.query('SELECT * FROM orders WHERE customer = $1', [req.query.customer]);
  res.json(result.rows);
});
