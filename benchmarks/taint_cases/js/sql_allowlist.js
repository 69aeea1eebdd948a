const express = require('express');

const app = express();
app.use(express.json());

const { pool } = require('./lib/db');

const SORTABLE = ['name', 'created_at', 'total'];

app.get('/orders', async (req, res) => {
  const sort = req.query.sort;
  if (!SORTABLE.includes(sort)) {
    return res.status(400).json({ error: 'bad sort' });
  }
  const result = await pool.query(`SELECT * FROM orders WHERE paid = true ORDER BY ${sort}`);
  res.json(result.rows);
});
