const express = require('express');

const app = express();
app.use(express.json());

const { pool } = require('./lib/db');

app.get('/orders', async (req, res) => {
  const { customer } = req.query;
  const result = await pool.query(`SELECT * FROM orders WHERE customer = '${customer}'`);
  res.json(result.rows);
});
