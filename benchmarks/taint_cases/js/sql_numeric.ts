import express from 'express';
import knex from './lib/knex';

const app = express();

app.get('/page', async (req, res) => {
  const page = parseInt(String(req.query.page), 10) || 1;
  const rows = await knex.raw('SELECT * FROM posts ORDER BY id LIMIT 20 OFFSET ' + (page - 1) * 20);
  res.json(rows);
});
