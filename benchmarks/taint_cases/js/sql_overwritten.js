const express = require('express');

const app = express();
app.use(express.json());

const { pool } = require('./lib/db');

app.get('/report', async (req, res) => {
  let table = req.query.table;
  table = 'monthly_report';
  const result = await pool.query(`SELECT * FROM ${table} WHERE year = 2024`);
  res.json(result.rows);
});
